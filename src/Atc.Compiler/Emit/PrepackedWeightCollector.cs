using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Emit;

/// <summary>
/// Compile time: records what the kernels of every gear pack from constant inputs, one blob per (node, key), and
/// which (gear, node, input) got one (by packing it, or by reusing the blob an earlier gear packed).
/// </summary>
internal sealed class PrepackedWeightCollector
{
    private readonly Dictionary<(int Node, string Key), PrepackedBlob> _blobs = [];
    private readonly HashSet<(int Gear, int Node, int Input)> _covered = [];

    public IReadOnlyCollection<PrepackedBlob> Blobs => _blobs.Values;

    public bool Covers(int gear, int node, int input) => _covered.Contains((gear, node, input));

    public IPrepackedWeights ForNode(int gear, int node) => new NodeView(this, gear, node);

    private void Add(int gear, int node, int input, string key, ReadOnlySpan<byte> data)
    {
        if (_blobs.TryGetValue((node, key), out var existing))
        {
            if (existing.Input != input || !existing.Data.Span.SequenceEqual(data))
                throw new InvalidOperationException($"node {node}: two kernels packed different bytes under the key '{key}'");
        }
        else
        {
            // Pinned, so that a load simulated from these blobs can use them by address.
            var copy = GC.AllocateUninitializedArray<byte>(data.Length, pinned: true);
            data.CopyTo(copy);
            _blobs.Add((node, key), new PrepackedBlob(node, input, key, copy));
        }
        _covered.Add((gear, node, input));
    }

    /// <summary>A blob another gear already packed for this node: the kernel uses it (as a load would) instead of packing again.</summary>
    private bool TryReuse(int gear, int node, string key, out nint pointer, out long byteLength)
    {
        pointer = 0;
        byteLength = 0;
        if (!_blobs.TryGetValue((node, key), out var blob) || blob.Data.Length == 0) return false;
        pointer = FixedMemory.AddressOf(blob.Data);
        byteLength = blob.Data.Length;
        _covered.Add((gear, node, blob.Input));
        return true;
    }

    private sealed class NodeView(PrepackedWeightCollector owner, int gear, int node) : IPrepackedWeights
    {
        public bool TryGet(string key, out nint pointer, out long byteLength) => owner.TryReuse(gear, node, key, out pointer, out byteLength);

        public void Report(int input, string key, ReadOnlySpan<byte> data) => owner.Add(gear, node, input, key, data);
    }
}
