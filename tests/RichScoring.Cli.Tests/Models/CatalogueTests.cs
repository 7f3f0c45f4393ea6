using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Tests.Models;

public class CatalogueTests
{
    [Fact]
    public void The_built_in_catalogue_has_the_default_clip_models_and_a_siglip()
    {
        var catalogue = ModelCatalogue.BuiltIn;

        Assert.Equal("clip-vit-base-patch32", catalogue.DefaultName);
        Assert.Equal("Xenova/clip-vit-base-patch32", catalogue.Require("clip-vit-base-patch32").Repository);
        Assert.Equal("Xenova/clip-vit-base-patch16", catalogue.Require("CLIP-ViT-Base-Patch16").Repository);
        Assert.Equal(ModelFamily.SigLip, catalogue.Require("siglip-base-patch16-224").Family);
        Assert.All(catalogue.Entries, e => Assert.Equal(ModelVariant.Quantized, e.DefaultVariant));
    }

    [Theory]
    [InlineData("clip-vit-base-patch32")]
    [InlineData("clip-vit-base-patch16")]
    [InlineData("siglip-base-patch16-224")]
    public void Every_variant_of_a_built_in_entry_has_what_a_model_folder_needs(string name)
    {
        var entry = ModelCatalogue.BuiltIn.Require(name);

        Assert.Equal([ModelVariant.Quantized, ModelVariant.Default, ModelVariant.Fp16], entry.Variants);
        foreach (var variant in entry.Variants)
        {
            var paths = entry.FilesFor(variant).Select(f => f.Path).ToList();
            var suffix = ModelVariantNames.FileSuffix(variant);
            Assert.Contains($"onnx/text_model{suffix}.onnx", paths);
            Assert.Contains($"onnx/vision_model{suffix}.onnx", paths);
            Assert.Equal(2, paths.Count(p => p.EndsWith(".onnx", StringComparison.Ordinal)));
            Assert.Contains("config.json", paths);
            Assert.Contains("preprocessor_config.json", paths);
            if (entry.Family == ModelFamily.SigLip)
            {
                Assert.Contains("spiece.model", paths); // the SigLIP tokenizer reads SentencePiece
            }
            else
            {
                Assert.Contains("vocab.json", paths);
                Assert.Contains("merges.txt", paths);
            }
        }

        // Revisions follow main, so nothing may be pinned (a pin on a moving branch breaks on the next re-export).
        Assert.Equal("main", entry.Revision);
        Assert.All(entry.Files, f => Assert.Null(f.Size));
        Assert.All(entry.Files, f => Assert.Null(f.Sha256));
        Assert.InRange(entry.ApproximateSize(ModelVariant.Quantized), 100_000_000, entry.ApproximateSize(ModelVariant.Default) / 2);
    }

    [Theory]
    [InlineData("../escape.onnx")]
    [InlineData("/etc/passwd")]
    [InlineData("onnx//x.onnx")]
    [InlineData("onnx\\x.onnx")]
    public void Catalogue_paths_must_stay_inside_the_model_folder(string path)
    {
        var entry = new ModelCatalogueEntry
        {
            Name = "bad",
            Repository = "a/b",
            Family = ModelFamily.Clip,
            Description = "",
            Files = [new(path, ModelVariant.Quantized)],
        };

        Assert.Throws<ArgumentException>(() => new ModelCatalogue([entry], "bad"));
    }

    [Theory]
    [InlineData("quantized", ModelVariant.Quantized)]
    [InlineData("Q8", ModelVariant.Quantized)]
    [InlineData("fp32", ModelVariant.Default)]
    [InlineData("default", ModelVariant.Default)]
    [InlineData("FP16", ModelVariant.Fp16)]
    public void Variant_names_parse(string text, ModelVariant expected)
    {
        Assert.True(ModelVariantNames.TryParse(text, out var variant));
        Assert.Equal(expected, variant);
        Assert.True(ModelVariantNames.TryParse(ModelVariantNames.ToName(variant), out var again));
        Assert.Equal(variant, again);
    }

    [Fact]
    public void Unknown_variant_names_do_not_parse() => Assert.False(ModelVariantNames.TryParse("int4", out _));
}
