namespace RichScoring.Cli.Tests;

public class CliSmokeTests
{
    [Fact]
    public async Task Help_lists_the_commands()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["--help"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains("richscore", output.ToString(), StringComparison.Ordinal);
    }
}
