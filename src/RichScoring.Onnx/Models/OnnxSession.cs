using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RichScoring.Onnx;

/// <summary>
/// One ONNX Runtime session over one model file, created with the library's settings. Run is thread-safe.
/// </summary>
/// <remarks>
/// Reference-counted, so that the two towers of a combined <c>model.onnx</c> share one session: whoever creates it
/// holds the first reference, every other holder takes one with <see cref="Acquire"/>, and each holder calls
/// <see cref="Dispose"/> exactly once; the session is released with the last reference.
/// </remarks>
internal sealed class OnnxSession : IDisposable
{
    private int _references = 1;

    private OnnxSession(string path, InferenceSession session)
    {
        Path = path;
        Session = session;
    }

    public string Path { get; }

    public InferenceSession Session { get; }

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => Session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Outputs => Session.OutputMetadata;

    public string FileName => System.IO.Path.GetFileName(Path);

    public static OnnxSession Create(ModelFolder folder, string path, OnnxModelOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimizationLevel,
            IntraOpNumThreads = options.IntraOpThreads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        try
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            if (options.UseCuda)
            {
                try
                {
                    sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                }
                catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    throw new ModelFolderException(
                        $"The CUDA execution provider is not available ({ex.Message}). Reference Microsoft.ML.OnnxRuntime.Gpu " +
                        "instead of Microsoft.ML.OnnxRuntime and install the CUDA runtime, or turn UseCuda off.", ex) { Folder = folder.Path };
                }
            }

            options.ConfigureSession?.Invoke(sessionOptions);
            return new OnnxSession(path, new InferenceSession(path, sessionOptions));
        }
        catch (OnnxRuntimeException ex)
        {
            throw folder.Error($"{System.IO.Path.GetRelativePath(folder.Path, path)} could not be loaded by ONNX Runtime: {ex.Message}", ex);
        }
        finally
        {
            sessionOptions.Dispose();
        }
    }

    /// <summary>"name (Int64 [batch, sequence])" for every input and output, for error messages.</summary>
    public string Describe() =>
        $"inputs: {Describe(Inputs)}; outputs: {Describe(Outputs)}";

    public static string Describe(NodeMetadata meta)
    {
        if (!meta.IsTensor)
        {
            return meta.OnnxValueType.ToString();
        }

        var dims = meta.Dimensions.Select((d, i) =>
            d > 0 ? d.ToString(CultureInfo.InvariantCulture)
            : i < meta.SymbolicDimensions.Length && !string.IsNullOrEmpty(meta.SymbolicDimensions[i]) ? meta.SymbolicDimensions[i] : "?");
        return $"{meta.ElementDataType} [{string.Join(", ", dims)}]";
    }

    /// <summary>Whether the element type is one of the float types the encoders can feed or read.</summary>
    public static bool IsFloat(NodeMetadata meta) =>
        meta.IsTensor && meta.ElementDataType is TensorElementType.Float or TensorElementType.Float16;

    /// <summary>
    /// Runs the model for one float output of shape [rows, dimension], written into <paramref name="destination"/>
    /// (at least rows × dimension): straight into it when the output is float32 (a preallocated output), converted
    /// from float16 otherwise. Cancellation terminates the run in progress.
    /// </summary>
    public void RunInto(IReadOnlyCollection<string> names, IReadOnlyCollection<OrtValue> values, string output, int rows, int dimension, Memory<float> destination, CancellationToken cancellationToken)
    {
        var length = rows * dimension;
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        try
        {
            if (Outputs[output].ElementDataType == TensorElementType.Float)
            {
                using var preallocated = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, destination[..length], [rows, dimension]);
                Session.Run(runOptions, names, values, [output], [preallocated]);
                return;
            }

            using var outputs = Session.Run(runOptions, names, values, [output]);
            TensorSlots.CopyOutput(outputs[0], destination.Span[..length]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>The second dimension of <paramref name="output"/> after one run (for models that leave it symbolic).</summary>
    public int OutputWidth(IReadOnlyCollection<string> names, IReadOnlyCollection<OrtValue> values, string output)
    {
        using var runOptions = new RunOptions();
        using var outputs = Session.Run(runOptions, names, values, [output]);
        return (int)outputs[0].GetTensorTypeAndShape().Shape[1];
    }

    /// <summary>Whether the last reference was released (and the ONNX Runtime session with it).</summary>
    public bool IsReleased => Volatile.Read(ref _references) == 0;

    /// <summary>Takes one more reference; the caller must <see cref="Dispose"/> it once.</summary>
    /// <exception cref="ObjectDisposedException">The session was already released.</exception>
    public OnnxSession Acquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            ObjectDisposedException.ThrowIf(current == 0, this);
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return this;
            }
        }
    }

    /// <summary>Releases one reference; the ONNX Runtime session is disposed with the last one.</summary>
    public void Dispose()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _references, current - 1, current) == current)
            {
                if (current == 1)
                {
                    Session.Dispose();
                }

                return;
            }
        }
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Count == 0 ? "none" : string.Join(", ", nodes.Select(n => $"{n.Key} ({Describe(n.Value)})"));
}
