using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Format.Proto;

namespace Atc.Compiler.Emit;

/// <summary>
/// The bytes the .om stores for each constant and prepacked blob: with a 16-bit weight storage (lower-precision
/// modes), every float32 tensor whose values are all exact in it is stored narrowed (half the bytes, widened exactly
/// at load); anything else, and every tensor of a float32 model, as is.
/// </summary>
internal sealed class StoredWeights
{
    private readonly Dictionary<int, byte[]> _constants = [];
    private readonly byte[]?[] _blobs;
    private readonly PrepackedBlob[] _blobSources;
    private readonly WeightStorage _storage;

    private StoredWeights(PrepackedBlob[] blobs, WeightStorage storage)
    {
        _blobSources = blobs;
        _blobs = new byte[]?[blobs.Length];
        _storage = storage;
    }

    public static StoredWeights Of(OmModel model, PrepackedBlob[] blobs)
    {
        var stored = new StoredWeights(blobs, (WeightStorage)(int)model.WeightStorage);
        if (model.WeightStorage == WeightStorageType.Float32) return stored;
        var graph = model.Graph;
        for (int v = 0; v < graph.Values.Length; v++)
            if (graph.Constants[v] is { Type: DataType.Float32 } c && !DroppedWeights.IsDropped(c)
                && WeightNarrowing.TryNarrow(c.Bytes.Span, model.WeightStorage) is { } narrow)
                stored._constants[v] = narrow;
        for (int b = 0; b < blobs.Length; b++)
            stored._blobs[b] = WeightNarrowing.TryNarrow(blobs[b].Data.Span, model.WeightStorage);
        return stored;
    }

    public ReadOnlyMemory<byte> Constant(int value, ReadOnlyMemory<byte> raw) => _constants.TryGetValue(value, out var n) ? n : raw;

    public WeightStorage ConstantStorage(int value) => _constants.ContainsKey(value) ? _storage : WeightStorage.Float32;

    public ReadOnlyMemory<byte> Blob(int index) => _blobs[index] is { } n ? n : _blobSources[index].Data;

    public WeightStorage BlobStorage(int index) => _blobs[index] is null ? WeightStorage.Float32 : _storage;
}
