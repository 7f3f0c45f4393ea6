namespace RichScoring.Http.Tests.Sources;

/// <summary>The folder source over real temporary folders.</summary>
public sealed class FolderCandidateSourceTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("richscoring-folder-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Delete(recursive: true);

    private string Touch(string relative)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }

    [Fact]
    public async Task Lists_image_files_by_extension_in_ordinal_order_with_relative_ids()
    {
        Touch("b.jpg");
        Touch("A.PNG");
        Touch("c.webp");
        Touch("notes.txt");
        Touch(".hidden.jpg");
        Touch("sub/d.gif");

        var candidates = await new FolderCandidateSource(_root.FullName).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(["A.PNG", "b.jpg", "c.webp"], candidates.Select(c => c.Id));
        Assert.All(candidates, c => Assert.True(c.HasStream));
        Assert.Equal(new Uri(Path.Combine(_root.FullName, "b.jpg")), candidates[1].Source);
    }

    [Fact]
    public async Task Recursion_takes_subfolders_but_not_hidden_ones()
    {
        Touch("top.jpg");
        Touch("sub/inner.jpg");
        Touch("sub/deeper/deep.png");
        Touch(".git/objects/x.jpg");

        var candidates = await new FolderCandidateSource(_root.FullName, recursive: true).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(["sub/deeper/deep.png", "sub/inner.jpg", "top.jpg"], candidates.Select(c => c.Id));
    }

    [Fact]
    public async Task The_extension_filter_is_configurable_with_or_without_dots()
    {
        Touch("a.jpg");
        Touch("b.png");
        Touch("c.tga");

        var candidates = await new FolderCandidateSource(_root.FullName, extensions: ["png", ".TGA"]).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(["b.png", "c.tga"], candidates.Select(c => c.Id));
    }

    [Fact]
    public async Task A_folder_symlink_loop_is_not_followed()
    {
        Touch("sub/a.jpg");
        Directory.CreateSymbolicLink(Path.Combine(_root.FullName, "sub", "loop"), _root.FullName);

        var candidates = await new FolderCandidateSource(_root.FullName, recursive: true).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(["sub/a.jpg"], candidates.Select(c => c.Id));
    }

    [Fact]
    public async Task An_unreadable_file_is_listed_and_fails_only_as_its_own_candidate()
    {
        Touch("good.jpg");
        File.CreateSymbolicLink(Path.Combine(_root.FullName, "dangling.jpg"), Path.Combine(_root.FullName, "gone.jpg"));

        var candidates = await new FolderCandidateSource(_root.FullName).GetCandidatesAsync(Ct).ToListAsync(Ct);
        using var pipeline = Fakes.FakeEncoders.Builder().Build();
        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        Assert.Equal(["dangling.jpg", "good.jpg"], candidates.Select(c => c.Id));
        Assert.Equal(CandidateStatus.Failed, result.Outcomes[0].Status);
        Assert.StartsWith("could not be read: ", result.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(CandidateStatus.Failed, result.Outcomes[1].Status); // three bytes are no image either
        Assert.Equal("identify", result.Outcomes[1].Stage);
    }

    [Fact]
    public async Task A_missing_folder_is_an_error_naming_it()
    {
        var missing = Path.Combine(_root.FullName, "nope");

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(async () => await new FolderCandidateSource(missing).GetCandidatesAsync(Ct).ToListAsync(Ct));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_extension_lists_are_refused() =>
        Assert.Throws<ArgumentException>(() => new FolderCandidateSource(_root.FullName, extensions: []));
}
