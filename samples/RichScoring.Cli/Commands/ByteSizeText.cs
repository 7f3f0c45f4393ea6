using System.Globalization;

namespace RichScoring.Cli.Commands;

/// <summary>Sizes for people: 862 KB, 64.5 MB, 1.2 GB (decimal units, as the hub shows them).</summary>
internal static class ByteSizeText
{
    public static string Format(long bytes) => bytes switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0} KB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
    };
}
