using System.Buffers;
using System.Runtime.InteropServices;
using Atc.Runtime.Core;
using Atc.Runtime.Format;

namespace Atc.Runtime.Execution;

/// <summary>
/// Constants the compiler stored only in prepacked form: their type and dims stay in the graph (operators still see
/// a constant input), but their bytes are not in the file. Any attempt to read them is a coded load error.
/// </summary>
internal static class DroppedWeights
{
    public static TensorData Placeholder(DataType type, int[] dims, string valueName)
    {
        // dims are at most int.MaxValue elements (OmChecks.ConcreteDims), so the product fits a long.
        long bytes = Shape.ElementCount(dims) * type.SizeOf();
        if (bytes > Array.MaxLength)
            throw new OmFormatException($"constant '{valueName}' stored only prepacked is {type.Name()}{Shape.Format(dims)}, {bytes} bytes: "
                + $"more than a tensor of this runtime may hold ({Array.MaxLength})");
        return new TensorData(type, dims, new Memory(valueName, (int)bytes).Bytes);
    }

    public static bool IsDropped(TensorData tensor) => MemoryMarshal.TryGetMemoryManager<byte, Memory>(tensor.Bytes, out _);

    public static string ValueName(TensorData tensor)
        => MemoryMarshal.TryGetMemoryManager<byte, Memory>(tensor.Bytes, out var m) ? m.ValueName : "?";

    /// <summary>Has a length but no bytes: reading it throws <see cref="OmFormatException"/>.</summary>
    private sealed class Memory(string valueName, int length) : MemoryManager<byte>
    {
        public string ValueName { get; } = valueName;
        public ReadOnlyMemory<byte> Bytes => CreateMemory(length);

        public override Span<byte> GetSpan() => throw Missing();
        public override MemoryHandle Pin(int elementIndex = 0) => throw Missing();
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }

        private OmFormatException Missing() => new($"the raw bytes of constant '{ValueName}' are not in the file (the compiler "
            + "stored them only prepacked for the kernels of its version), but a kernel of this runtime needs them");
    }
}
