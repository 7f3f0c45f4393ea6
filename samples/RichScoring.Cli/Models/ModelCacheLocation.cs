namespace RichScoring.Cli.Models;

/// <summary>
/// Where downloaded models live: <c>$RICHSCORING_HOME/models</c>, else the user's cache folder
/// (<c>%LOCALAPPDATA%</c> on Windows, <c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> elsewhere) + <c>richscoring/models</c>.
/// </summary>
internal static class ModelCacheLocation
{
    public const string HomeVariable = "RICHSCORING_HOME";

    /// <summary>The folder holding one sub-folder per model.</summary>
    /// <param name="getEnvironmentVariable">Reads an environment variable (injectable so tests need not touch the process environment).</param>
    public static string ModelsRoot(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var home = getEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(home))
        {
            return Path.Combine(Path.GetFullPath(home), "models");
        }

        return Path.Combine(UserCacheFolder(getEnvironmentVariable), "richscoring", "models");
    }

    private static string UserCacheFolder(Func<string, string?> env)
    {
        if (OperatingSystem.IsWindows())
        {
            var local = env("LOCALAPPDATA");
            return !string.IsNullOrWhiteSpace(local) ? local : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }

        // Relative XDG paths are invalid per the specification and ignored.
        var xdg = env("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return xdg;
        }

        var user = env("HOME");
        if (string.IsNullOrWhiteSpace(user))
        {
            user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.Combine(user, ".cache");
    }
}
