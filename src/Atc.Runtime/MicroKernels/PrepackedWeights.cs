using System.Globalization;
using System.Runtime.InteropServices;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Operators;

namespace Atc.Runtime.MicroKernels;

/// <summary>Packs raw weights (<paramref name="raw"/>: the constant as floats, row-major) into <paramref name="destination"/>.</summary>
internal unsafe delegate void PackInto(float* raw, float* destination);

/// <summary>Packed weights a kernel reads: a blob of the loaded model (no owner) or a buffer it packed (its owner).</summary>
internal readonly unsafe struct PackedWeights(float* pointer, AlignedBuffer? owner)
{
    public float* Pointer { get; } = pointer;
    /// <summary>Keep it referenced from the kernel: it holds the memory when the kernel packed the weights itself.</summary>
    public AlignedBuffer? Owner { get; } = owner;
}

/// <summary>
/// How a kernel gets constant weights in its own layout. Usage, in the kernel's constructor:
/// <code>
/// var w = PrepackedWeights.Acquire(context, 1, key, floats, (raw, dst) => Pack(raw, dst));
/// _weights = w.Pointer; _owner = w.Owner;
/// </code>
/// The key must encode everything the bytes depend on (layout name and version, source layout, every dimension and
/// block boundary, folded scales) so that a blob is used only by a kernel that would have packed the same bytes;
/// build it with <see cref="Key"/>. The packed layout must not depend on the instruction set. Acquiring input i
/// promises that the kernel reads nothing else of input i (see <see cref="IPrepackedWeights.Report"/>).
/// </summary>
internal static unsafe class PrepackedWeights
{
    /// <summary>
    /// The stored blob for <paramref name="key"/> when the model has one of exactly <paramref name="floats"/> floats
    /// (used in place); otherwise packs from constant input <paramref name="input"/> into a new 64-byte aligned buffer
    /// and reports it (the compiler stores what is reported).
    /// </summary>
    public static PackedWeights Acquire(OpContext context, int input, string key, long floats, PackInto pack)
    {
        var raw = context.Constant(input)
            ?? throw new InvalidOperationException($"input {input} of node '{context.NodeName}' is not constant");
        // Empty weights (a zero dimension) are never stored: a kernel tells "packed" from "run time" by a non-null pointer.
        if (floats > 0 && context.TryGetPrepacked(key, out nint stored, out long length) && length == floats * sizeof(float) && stored != 0)
            return new PackedWeights((float*)stored, null);
        if (DroppedWeights.IsDropped(raw))
            throw OmFormatException.AtNode(context.NodeName, context.OpType, $"needs its weights '{DroppedWeights.ValueName(raw)}' "
                + $"in the layout '{key}' ({floats * sizeof(float)} bytes), which the file does not have, and the raw weights were left out "
                + "because the compiler stored them only prepacked; the model was compiled for another version of the kernels");

        // At load, packed once per model and shared by every gear; at compile time, packed here and reported.
        var buffer = context.Derived is { } derived
            ? derived.GetOrCreate(key, floats, b => PackFrom(raw, pack, b))
            : PackFrom(raw, pack, new AlignedBuffer(Math.Max(1, floats)));
        if (floats > 0) context.Prepacked?.Report(input, key, MemoryMarshal.AsBytes(buffer.Span[..checked((int)floats)]));
        return new PackedWeights(buffer.Pointer, buffer);
    }

    private static AlignedBuffer PackFrom(TensorData raw, PackInto pack, AlignedBuffer buffer)
    {
        if (raw.Type == DataType.Float32)
        {
            fixed (byte* bytes = raw.Bytes.Span) pack((float*)bytes, buffer.Pointer);
        }
        else
        {
            fixed (float* values = raw.ToFloatArray()) pack(values, buffer.Pointer);
        }
        return buffer;
    }

    /// <summary>Packs a whole B (all K blocks, all columns) into <paramref name="dst"/>, as <see cref="PanelPacking.PackAll"/> does.</summary>
    public static void PackPanels<TSource>(TSource source, int[] kStarts, int n, float* dst) where TSource : struct, IPanelSource
    {
        int padded = GemmLayout.PadColumns(n);
        for (int kb = 0; kb + 1 < kStarts.Length; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            source.Block(k0, kc, 0, n, dst + (long)k0 * padded);
        }
    }

    /// <summary>"name/version;a=1;b=2,3": a key from a layout name and its parameters, culture-independent.</summary>
    public static string Key(string layout, params (string Name, object Value)[] parameters)
    {
        var parts = new List<string>(parameters.Length + 1) { layout };
        foreach (var (name, value) in parameters)
        {
            string text = value switch
            {
                int[] ints => string.Join(",", ints.Select(i => i.ToString(CultureInfo.InvariantCulture))),
                float f => "0x" + BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            parts.Add(name + "=" + text);
        }
        return string.Join(";", parts);
    }
}

/// <summary>A constant input of a node, read lazily: packed (preferably prepacked) or, for kernels that need it raw, as floats.</summary>
internal sealed class ConstantWeights(OpContext context, int input)
{
    public OpContext Context { get; } = context;
    public int Input { get; } = input;

    /// <summary>The constant input, or null when its value is known only at run time.</summary>
    public static ConstantWeights? Of(OpContext context, int input) => context.Constant(input) is null ? null : new(context, input);

    public float[] ToFloatArray() => Context.Constant(Input)!.ToFloatArray();

    /// <summary>See <see cref="PrepackedWeights.Acquire"/>.</summary>
    public PackedWeights Acquire(string key, long floats, PackInto pack) => PrepackedWeights.Acquire(Context, Input, key, floats, pack);
}
