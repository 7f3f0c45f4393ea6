using RichScoring.Cli.Commands;
using RichScoring.Testing;

namespace RichScoring.Cli.Tests.Diagnostics;

public class NpyWriterTests
{
    [Theory]
    [InlineData(new[] { 1, 3, 224, 224 })]
    [InlineData(new[] { 1, 3, 384, 384 })]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 2, 3 })]
    [InlineData(new[] { 1000, 1000, 1 })]
    public void The_header_is_aligned_and_the_data_round_trips(int[] shape)
    {
        var count = shape.Aggregate(1, (a, b) => a * b);
        var data = Enumerable.Range(0, count).Select(i => (i * 0.37f) - 11f).ToArray();
        using var stream = new MemoryStream();

        NpyWriter.WriteFloat32(stream, data, shape);

        var (readShape, readData, header) = NpyReader.ReadFloat32(stream.ToArray());
        Assert.Equal(shape, readShape);
        Assert.Equal(data, readData);
        Assert.Contains(shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})", header, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_of_a_clip_tensor_is_exactly_what_numpy_writes()
    {
        var header = NpyWriter.Header([1, 3, 224, 224]);

        // numpy.save of a (1, 3, 224, 224) float32 array: the dict, 20 spaces of room for the first axis to grow to 21
        // digits, 28 spaces of alignment padding, a newline: 128 bytes in all.
        Assert.Equal(128, header.Length);
        Assert.Equal(118, BitConverter.ToUInt16(header, 8));
        var text = System.Text.Encoding.ASCII.GetString(header, 10, header.Length - 10);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }" + new string(' ', 48) + "\n", text);

        // And byte for byte the header of a file numpy wrote (the golden tensor of the shared test data).
        var golden = File.ReadAllBytes(TestData.RequireFile("golden/expected_preprocessed_image.npy"));
        Assert.Equal(golden[..128], header);
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_data_is_refused()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => NpyWriter.WriteFloat32(stream, new float[5], [2, 3]));
    }
}
