using Atc.Runtime.Format;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>The prepacked blobs of a loaded model, by node: each blob is used in place (a slice of the loaded file).</summary>
internal sealed class LoadedPrepackedWeights : IPrepackedWeights
{
    private readonly Dictionary<string, (nint Pointer, long Length, int Input)> _blobs = new(StringComparer.Ordinal);

    private LoadedPrepackedWeights() { }

    /// <summary>One store per node index (null for nodes without blobs). The model's memory must not move.</summary>
    public static IPrepackedWeights?[] ByNode(OmModel model)
    {
        var stores = new LoadedPrepackedWeights?[model.Graph.Nodes.Length];
        foreach (var blob in model.Prepacked)
        {
            var store = stores[blob.Node] ??= new LoadedPrepackedWeights();
            nint pointer = blob.Data.Length == 0 ? 0 : FixedMemory.AddressOf(blob.Data);
            store._blobs[blob.Key] = (pointer, blob.Data.Length, blob.Input);
        }
        return stores;
    }

    public bool TryGet(string key, out nint pointer, out long byteLength) => TryGet(key, out pointer, out byteLength, out _);

    /// <summary>Also says which input of the node the blob comes from.</summary>
    public bool TryGet(string key, out nint pointer, out long byteLength, out int input)
    {
        bool found = _blobs.TryGetValue(key, out var blob);
        (pointer, byteLength, input) = blob;
        return found;
    }

    /// <summary>At load time a kernel that packs for itself keeps its buffer; nothing is stored.</summary>
    public void Report(int input, string key, ReadOnlySpan<byte> data) { }
}

/// <summary>
/// One kernel's view of its node's blobs at load: records which inputs it took prepacked, so that a constant the file
/// left out is never handed to a kernel that would read it raw at run time.
/// </summary>
internal sealed class ServedPrepackedWeights(LoadedPrepackedWeights inner) : IPrepackedWeights
{
    private readonly HashSet<int> _served = [];

    public bool Served(int input) => _served.Contains(input);

    public bool TryGet(string key, out nint pointer, out long byteLength)
    {
        if (!inner.TryGet(key, out pointer, out byteLength, out int input)) return false;
        lock (_served) _served.Add(input);
        return true;
    }

    public void Report(int input, string key, ReadOnlySpan<byte> data) => inner.Report(input, key, data);
}
