namespace RichScoring.Http.Tests.Sources;

/// <summary>The list source over real temporary list files, text and JSON.</summary>
public sealed class ListCandidateSourceTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("richscoring-list-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_root.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<List<Candidate>> ListAsync(string path) => await new ListCandidateSource(path).GetCandidatesAsync(Ct).ToListAsync(Ct);

    [Fact]
    public async Task A_text_list_skips_blank_lines_and_comments_and_resolves_paths_against_its_folder()
    {
        var absolute = Path.Combine(_root.FullName, "elsewhere", "abs.png");
        var path = Write("list.txt", $"""
            # ducks for the model
            https://images.example.com/duck.jpg

              photos/mallard.jpg
            {absolute}
            file://{Path.Combine(_root.FullName, "f.jpg")}
            ftp://ftp.example.com/old.jpg
            """);

        var candidates = await ListAsync(path);

        Assert.Equal(5, candidates.Count);
        Assert.Equal("https://images.example.com/duck.jpg", candidates[0].Id);
        Assert.Equal(new Uri("https://images.example.com/duck.jpg"), candidates[0].Source);
        Assert.False(candidates[0].HasStream);
        Assert.Equal("images.example.com", candidates[0].Metadata.SourceDomain);
        Assert.Equal("photos/mallard.jpg", candidates[1].Id);
        Assert.Equal(new Uri(Path.Combine(_root.FullName, "photos", "mallard.jpg")), candidates[1].Source);
        Assert.True(candidates[1].HasStream);
        Assert.Equal(new Uri(absolute), candidates[2].Source);
        Assert.Equal(new Uri(Path.Combine(_root.FullName, "f.jpg")), candidates[3].Source);
        Assert.Equal("ftp", candidates[4].Source!.Scheme); // passed on: the pipeline fails it as an unsupported source
    }

    [Fact]
    public async Task Relative_paths_do_not_depend_on_the_current_directory()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_root.FullName, "lists"));
        File.WriteAllText(Path.Combine(sub.FullName, "l.txt"), "../img/a.jpg\n");

        var candidate = Assert.Single(await ListAsync(Path.Combine(sub.FullName, "l.txt")));

        Assert.Equal(new Uri(Path.Combine(_root.FullName, "img", "a.jpg")), candidate.Source);
    }

    [Fact]
    public async Task A_malformed_url_names_the_file_and_line()
    {
        var path = Write("bad.txt", "a.jpg\n# fine\nhttp://exa mple.com/b.jpg\n");

        var error = await Assert.ThrowsAsync<FormatException>(() => ListAsync(path));

        Assert.Equal("bad.txt line 3: 'http://exa mple.com/b.jpg' is not a valid URL.", error.Message);
    }

    [Fact]
    public async Task A_json_list_takes_strings_and_objects_with_metadata()
    {
        var path = Write("list.json", """
            [
              "plain.jpg",
              {
                "url": "https://images.example.com/a.jpg",
                "id": "a",
                "width": 800, "height": 600,
                "title": "A mallard",
                "licence": "CC BY 4.0",
                "license_url": "https://creativecommons.org/licenses/by/4.0/",
                "creator": "Someone",
                "creator_url": "https://example.com/someone",
                "foreign_landing_url": "https://example.com/photo/a",
                "thumbnail": "https://images.example.com/a-small.jpg",
                "unknown_field": [1, 2, 3]
              },
              { "path": "local/b.png" } // comments are allowed
            ]
            """);

        var candidates = await ListAsync(path);

        Assert.Equal(["plain.jpg", "a", "local/b.png"], candidates.Select(c => c.Id));
        var m = candidates[1].Metadata;
        Assert.Equal((800, 600), (m.Width, m.Height));
        Assert.Equal("A mallard", m.Title);
        Assert.Equal("CC BY 4.0", m.License);
        Assert.Equal(new Uri("https://creativecommons.org/licenses/by/4.0/"), m.LicenseUrl);
        Assert.Equal("Someone", m.Creator);
        Assert.Equal(new Uri("https://example.com/someone"), m.CreatorUrl);
        Assert.Equal(new Uri("https://example.com/photo/a"), m.LandingPage);
        Assert.Equal(new Uri("https://images.example.com/a-small.jpg"), m.ThumbnailUrl);
        Assert.Equal(new Uri(Path.Combine(_root.FullName, "local", "b.png")), candidates[2].Source);
    }

    [Fact]
    public async Task A_json_array_is_recognised_whatever_the_file_name()
    {
        var path = Write("candidates.lst", "\uFEFF  [\"a.jpg\", \"b.jpg\"]");

        var candidates = await ListAsync(path);

        Assert.Equal(["a.jpg", "b.jpg"], candidates.Select(c => c.Id));
    }

    [Theory]
    [InlineData("[\n  \"a.jpg\",\n  { \"id\": \"x\" }\n]", "line 3: an entry object needs exactly one of \"url\" and \"path\".")]
    [InlineData("[\n  { \"url\": \"https://e.com/a.jpg\", \"path\": \"a.jpg\" }\n]", "line 2: an entry object needs exactly one of \"url\" and \"path\".")]
    [InlineData("[\n\n  { \"path\": \"a.jpg\", \"width\": \"wide\" }\n]", "line 3: \"width\" must be a positive whole number, found \"wide\".")]
    [InlineData("[\n  { \"path\": \"a.jpg\", \"height\": -4 }\n]", "line 2: \"height\" must be a positive whole number, found -4.")]
    [InlineData("[\n  \"a.jpg\",\n  42\n]", "line 3: expected a string or an object, found a number.")]
    [InlineData("[\n  { \"path\": \"a.jpg\", \"license_url\": \"not a link\" }\n]", "line 2: \"license_url\" must be an absolute URL, found 'not a link'.")]
    [InlineData("[\n  \"\"\n]", "line 2: the entry is an empty string.")]
    [InlineData("{ \"url\": \"https://e.com/a.jpg\" }", "line 1: expected a JSON array of strings or objects.")]
    public async Task A_malformed_json_entry_names_its_line(string json, string reason)
    {
        var path = Write("bad.json", json);

        var error = await Assert.ThrowsAsync<FormatException>(() => ListAsync(path));

        Assert.Equal("bad.json " + reason, error.Message);
    }

    [Fact]
    public async Task Invalid_json_names_the_line_where_it_breaks()
    {
        var path = Write("broken.json", "[\n  \"a.jpg\",\n  \"b.jpg\"\n  \"c.jpg\"\n]");

        var error = await Assert.ThrowsAsync<FormatException>(() => ListAsync(path));

        Assert.StartsWith("broken.json line 4: invalid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_list_file_is_an_error()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => ListAsync(Path.Combine(_root.FullName, "none.txt")));
    }
}
