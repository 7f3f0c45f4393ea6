namespace RichScoring.Cli.Tests.Models;

/// <summary>One request the loopback hub received.</summary>
internal sealed record HubRequest(string Path, string? Range);
