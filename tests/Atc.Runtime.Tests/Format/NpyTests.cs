using System.Text;
using Atc.Runtime;
using Atc.Runtime.IO;

namespace Atc.Tests.Format;

public class NpyTests
{
    public static TheoryData<TensorData> Tensors => new()
    {
        TensorData.Float([2, 3], 1, 2, 3, 4, 5, 6),
        TensorData.Scalar(3.5f),
        TensorData.Int64([4], 1, -2, 3, long.MaxValue),
        TensorData.FromArray(DataType.Float64, [1, 2], new[] { 0.25, -1e300 }),
        TensorData.FromArray(DataType.Int32, [0, 5], Array.Empty<int>()),
        TensorData.FromArray(DataType.Bool, [3], new[] { true, false, true }),
        TensorData.FromArray(DataType.UInt8, [2, 2], new byte[] { 0, 1, 254, 255 }),
        TensorData.FromArray(DataType.Int8, [2], new sbyte[] { -128, 127 }),
    };

    [Theory]
    [MemberData(nameof(Tensors))]
    public void RoundTrips(TensorData tensor)
    {
        var bytes = Npy.Write(tensor);
        Assert.Equal(0, (bytes.Length - tensor.Bytes.Length) % 64);
        var read = Npy.Read(bytes);
        Assert.Equal(tensor.Type, read.Type);
        Assert.Equal(tensor.Dims, read.Dims);
        Assert.Equal(tensor.Bytes.ToArray(), read.Bytes.ToArray());
    }

    [Fact]
    public void WritesNumpysHeader()
    {
        var bytes = Npy.Write(TensorData.Float([2, 3], new float[6]));
        string header = Encoding.Latin1.GetString(bytes, 10, BitConverter.ToUInt16(bytes, 8));
        Assert.Equal(1, bytes[6]);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Contains("'shape': (7,)", Encoding.Latin1.GetString(Npy.Write(TensorData.Float([7], new float[7]))));
    }

    private static byte[] File(string header, int major = 1, int dataBytes = 0)
    {
        var h = Encoding.Latin1.GetBytes(header);
        var prefix = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        if (major == 1) prefix.AddRange(BitConverter.GetBytes((ushort)h.Length));
        else prefix.AddRange(BitConverter.GetBytes((uint)h.Length));
        return [.. prefix, .. h, .. new byte[dataBytes]];
    }

    [Fact]
    public void ReadsVersion2And3AndOtherSpellings()
    {
        var t = Npy.Read(File("{\"shape\": (2L, 1), \"descr\": \"<i4\", \"fortran_order\": False}\n", major: 2, dataBytes: 8));
        Assert.Equal([2, 1], t.Dims);
        Assert.Equal(DataType.Int32, t.Type);
        Assert.Equal(DataType.UInt8, Npy.Read(File("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", major: 3, dataBytes: 3)).Type);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8, "Fortran order")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "big-endian")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16, "'<c8' is not supported")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", 8, "must have the keys")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 8, "unexpected or repeated key 'x'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'descr': '<f4'}", 8, "repeated key 'descr'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8, "non-negative dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': Nope, 'shape': (2,), }", 8, "True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", 8, "end of the header")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 7, "needs 8 data bytes but the file has 7")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", 0, "more than 2147483647 elements")]
    [InlineData("{'descr: '<f4'", 0, "malformed header")]
    public void RejectsBadFilesClearly(string header, int dataBytes, string expected)
    {
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(File(header, dataBytes: dataBytes)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RejectsNonNpyAndTruncatedFiles()
    {
        Assert.Contains("magic", Assert.Throws<NpyFormatException>(() => Npy.Read(new byte[20])).Message);
        Assert.Contains("version 7", Assert.Throws<NpyFormatException>(() => Npy.Read(File("{}", major: 7))).Message);
        var good = Npy.Write(TensorData.Float([2], 1, 2));
        for (int n = 0; n < good.Length; n++)
            Assert.Throws<NpyFormatException>(() => Npy.Read(good[..n]));
    }
}
