using System.Collections.Concurrent;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Execution;

/// <summary>
/// Weights that kernels derive from a node's constants when a gear's kernels are created: Winograd's transformed
/// filters, and GEMM panels the file did not store (range profiles, models compiled without them). Every gear of a
/// model creates its own kernels, so without this each gear would hold its own copy; here there is one per model,
/// node and key, computed once by whichever gear asks first and shared by every gear and session.
/// </summary>
internal sealed class DerivedWeightCache
{
    private readonly ConcurrentDictionary<(int Node, string Key), Lazy<AlignedBuffer>> _buffers = new();

    /// <summary>The buffer for (node, key), filled by <paramref name="fill"/> the first time it is asked for.</summary>
    public AlignedBuffer GetOrCreate(int node, string key, long floats, Action<AlignedBuffer> fill)
    {
        var lazy = _buffers.GetOrAdd((node, key), _ => new Lazy<AlignedBuffer>(() =>
        {
            var buffer = new AlignedBuffer(Math.Max(1, floats));
            fill(buffer);
            return buffer;
        }));
        var result = lazy.Value;
        if (result.Length != Math.Max(1, floats))
            throw new InvalidOperationException($"node {node}: two kernels derived weights of different sizes under the key '{key}'");
        return result;
    }

    /// <summary>The view one node's kernels get through <see cref="Operators.OpContext.Derived"/>.</summary>
    public NodeDerivedWeights ForNode(int node) => new(this, node);
}

/// <summary>One node's share of a <see cref="DerivedWeightCache"/>.</summary>
internal sealed class NodeDerivedWeights(DerivedWeightCache cache, int node)
{
    /// <summary>See <see cref="DerivedWeightCache.GetOrCreate"/>.</summary>
    public AlignedBuffer GetOrCreate(string key, long floats, Action<AlignedBuffer> fill) => cache.GetOrCreate(node, key, floats, fill);
}
