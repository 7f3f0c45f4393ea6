using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RichScoring.Onnx;

/// <summary>Feeds and reads float tensors whatever the model's float type (float32 or float16), over pooled buffers.</summary>
internal static class TensorSlots
{
    /// <summary>An input tensor over <paramref name="values"/>; float16 models get a converted copy in a pooled buffer.</summary>
    public static OrtValue FloatInput(TensorElementType type, float[] values, int length, long[] shape, List<Action> release)
    {
        if (type == TensorElementType.Float)
        {
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, values.AsMemory(0, length), shape);
        }

        var half = ArrayPool<Float16>.Shared.Rent(length);
        release.Add(() => ArrayPool<Float16>.Shared.Return(half));
        for (var i = 0; i < length; i++)
        {
            half[i] = (Float16)values[i];
        }

        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, half.AsMemory(0, length), shape);
    }

    /// <summary>Copies a [rows, dimension] float or float16 output into <paramref name="destination"/>.</summary>
    public static void CopyOutput(OrtValue output, Span<float> destination)
    {
        var info = output.GetTensorTypeAndShape();
        if (info.ElementDataType == TensorElementType.Float)
        {
            output.GetTensorDataAsSpan<float>()[..destination.Length].CopyTo(destination);
            return;
        }

        if (info.ElementDataType != TensorElementType.Float16)
        {
            throw new InvalidOperationException($"Unexpected output element type {info.ElementDataType}.");
        }

        var half = output.GetTensorDataAsSpan<Float16>();
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)half[i];
        }
    }
}
