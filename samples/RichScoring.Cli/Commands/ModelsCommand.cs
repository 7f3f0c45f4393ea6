using System.CommandLine;
using RichScoring.Cli.Models;
using RichScoring.Onnx;
using Spectre.Console;

namespace RichScoring.Cli.Commands;

/// <summary><c>richscore models list | download &lt;name&gt; | path &lt;name&gt;</c>.</summary>
internal static class ModelsCommand
{
    /// <summary>The exit code of <c>models path</c> for a known model that is not installed.</summary>
    public const int NotInstalled = 2;

    public static Command Create(ModelServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("models", "List, download and locate the models richscore knows by name.");
        command.Subcommands.Add(CreateList(services));
        command.Subcommands.Add(CreateDownload(services));
        command.Subcommands.Add(CreatePath(services));
        return command;
    }

    private static Command CreateList(ModelServices services)
    {
        var command = new Command("list", "Show the known models, their download size and which variants are installed.");
        command.SetAction((parse, ct) => CommandErrors.RunAsync(parse, (output, _) =>
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("name");
            table.AddColumn("family");
            table.AddColumn(new TableColumn("size").RightAligned());
            table.AddColumn("installed");
            table.AddColumn("repository");
            table.AddColumn("description");
            var downloader = services.Downloader;
            foreach (var entry in services.Catalogue.Entries)
            {
                var installed = entry.Variants.Where(v => downloader.IsInstalled(entry, v)).Select(ModelVariantNames.ToName).ToList();
                var name = entry.Name == services.Catalogue.DefaultName ? $"{entry.Name} (default)" : entry.Name;
                table.AddRow(
                    Markup.Escape(name),
                    entry.Family == ModelFamily.SigLip ? "SigLIP" : "CLIP",
                    $"~{ByteSizeText.Format(entry.ApproximateSize(entry.DefaultVariant))} ({ModelVariantNames.ToName(entry.DefaultVariant)})",
                    installed.Count == 0 ? "no" : string.Join(", ", installed),
                    Markup.Escape(entry.Repository),
                    Markup.Escape(entry.Description));
            }

            var console = CreateConsole(output);
            console.Write(table);
            foreach (var entry in services.Catalogue.Entries.Where(e => e.Usage is not null))
            {
                console.WriteLine($"{entry.Name}: {entry.Usage}");
            }

            console.WriteLine($"Models are kept in {downloader.ModelsRoot} (set {ModelCacheLocation.HomeVariable} to move them).");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static Command CreateDownload(ModelServices services)
    {
        var name = NameArgument(services);
        var variant = VariantOption();
        var command = new Command("download", "Download a model into the cache (resuming a partial download) and print its folder.");
        command.Arguments.Add(name);
        command.Options.Add(variant);
        command.SetAction((parse, ct) => CommandErrors.RunAsync(parse, async (output, error) =>
        {
            var (entry, chosen) = services.Resolver.Pick(parse.GetValue(name), parse.GetValue(variant));
            var downloader = services.Downloader;
            string folder;
            if (downloader.IsInstalled(entry, chosen))
            {
                folder = downloader.FolderOf(entry);
                await error.WriteLineAsync($"{entry.Name} ({ModelVariantNames.ToName(chosen)}) is already installed.").ConfigureAwait(false);
            }
            else
            {
                folder = await DownloadProgressDisplay.RunAsync(
                    error,
                    DownloadProgressDisplay.Title(entry, chosen, downloader.Endpoint),
                    progress => downloader.DownloadAsync(entry, chosen, progress, ct)).ConfigureAwait(false);
            }

            await output.WriteLineAsync(folder).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Command CreatePath(ModelServices services)
    {
        var name = NameArgument(services);
        var variant = VariantOption();
        var command = new Command(
            "path",
            $"Print the folder of an installed model (exit code {NotInstalled} when it is not installed, 1 for an unknown name).");
        command.Arguments.Add(name);
        command.Options.Add(variant);
        command.SetAction((parse, ct) => CommandErrors.RunAsync(parse, async (output, error) =>
        {
            var requested = parse.GetValue(name);
            var chosen = parse.GetValue(variant);
            var installed = services.Resolver.FindInstalled(requested ?? "", chosen);
            if (installed is null)
            {
                var (entry, v) = services.Resolver.Pick(requested, chosen);
                var flag = chosen is null ? "" : $" --variant {ModelVariantNames.ToName(v)}";
                await error.WriteLineAsync(
                    $"{entry.Name} ({ModelVariantNames.ToName(v)}) is not installed; run 'richscore models download {entry.Name}{flag}'.").ConfigureAwait(false);
                return NotInstalled;
            }

            await output.WriteLineAsync(installed.Folder).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Argument<string> NameArgument(ModelServices services) => new("name")
    {
        Description = $"A model name from 'richscore models list' (e.g. {services.Catalogue.DefaultName}).",
    };

    private static Option<ModelVariant?> VariantOption() => ModelSelectionOptions.CreateVariantOption();

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200; // a redirected table should not wrap at 80 columns
        }

        return console;
    }
}
