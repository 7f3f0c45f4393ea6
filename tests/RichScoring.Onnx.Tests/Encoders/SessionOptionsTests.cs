using Microsoft.ML.OnnxRuntime;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary><see cref="OnnxModelOptions"/> reach the ONNX Runtime sessions, and an unavailable execution provider is a clear error.</summary>
public sealed class SessionOptionsTests(ModelFolderFixture models) : IClassFixture<ModelFolderFixture>
{
    [Fact]
    public void Requesting_CUDA_without_the_GPU_runtime_is_a_folder_error_that_says_what_to_reference()
    {
        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            Assert.Skip("This ONNX Runtime build has the CUDA execution provider; the check is for the CPU-only package.");
        }

        using var model = ClipModel.Load(models.Split, new OnnxModelOptions { UseCuda = true });

        var ex = Assert.Throws<ModelFolderException>(() => model.ImageEncoder);
        Assert.Contains("CUDA execution provider is not available", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UseCuda", ex.Message, StringComparison.Ordinal);
        Assert.Equal(model.Folder, ex.Folder);
        Assert.NotNull(ex.InnerException); // what ONNX Runtime said stays available
        Assert.Throws<ModelFolderException>(() => ClipTextEncoder.Create(models.Split, new OnnxModelOptions { UseCuda = true }));
    }

    [Fact]
    public void Thread_and_optimisation_settings_are_applied_to_the_session_options()
    {
        (int Intra, int Inter, GraphOptimizationLevel Level, ExecutionMode Mode)? captured = null;
        var options = new OnnxModelOptions
        {
            IntraOpThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            ConfigureSession = o =>
            {
                captured = (o.IntraOpNumThreads, o.InterOpNumThreads, o.GraphOptimizationLevel, o.ExecutionMode);
            },
        };
        using var model = ClipModel.Load(models.Split, options);

        _ = model.TextEncoder;

        Assert.NotNull(captured);
        Assert.Equal((1, 1, GraphOptimizationLevel.ORT_ENABLE_BASIC, ExecutionMode.ORT_SEQUENTIAL), captured);
    }

    [Fact]
    public void Intra_op_threads_default_to_the_processor_count()
    {
        int? threads = null;
        using var model = ClipModel.Load(models.Split, new OnnxModelOptions { ConfigureSession = o => threads = o.IntraOpNumThreads });

        _ = model.ImageEncoder;

        Assert.Equal(Environment.ProcessorCount, threads);
    }
}
