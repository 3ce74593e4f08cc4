namespace Atc.Runtime.Operators.Text;

/// <summary>
/// Counts pool n-grams through a trie of the pool built once per gear: from every start token, walk the trie with
/// tokens skip+1 apart and count each node that ends a pool n-gram of at least min_gram_length tokens (ONNX's
/// reference algorithm, so overlapping and nested n-grams count as it does).
/// </summary>
internal sealed unsafe class TfIdfVectorizerKernel : IKernel
{
    private sealed class TrieNode
    {
        public readonly Dictionary<long, TrieNode> Next = [];
        public int Slot = -1;
    }

    private readonly TfIdfSpec _spec;
    private readonly int _rows, _columns;
    private readonly bool _int64;
    private readonly TrieNode _root = new();

    public TfIdfVectorizerKernel(TfIdfSpec spec, int rows, int columns, bool int64)
    {
        (_spec, _rows, _columns, _int64) = (spec, rows, columns, int64);
        for (int g = 0; g < spec.Grams.Count; g++)
        {
            var node = _root;
            foreach (long token in spec.Grams[g])
            {
                if (!node.Next.TryGetValue(token, out var next)) node.Next[token] = next = new TrieNode();
                node = next;
            }
            node.Slot = spec.Slots[g];
        }
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        void* x = (void*)args.Inputs[0];
        var y = args.Output<float>(0, (long)_rows * _spec.OutputSize);
        y.Clear();
        for (int r = 0; r < _rows; r++)
        {
            var counts = y.Slice(r * _spec.OutputSize, _spec.OutputSize);
            Count(x, (long)r * _columns, counts);
            Weigh(counts);
        }
    }

    private long Token(void* x, long i) => _int64 ? ((long*)x)[i] : ((int*)x)[i];

    private void Count(void* x, long rowStart, Span<float> counts)
    {
        int startSize = _spec.MinGram;
        for (int skip = 1; skip <= _spec.MaxSkip + 1; skip++)
        {
            for (long start = 0; start < _columns; start++)
            {
                if (start + (long)skip * (startSize - 1) >= _columns) break;
                var node = _root;
                int size = 1;
                for (long item = start; item < _columns && size <= _spec.MaxGram; item += skip, size++)
                {
                    if (!node.Next.TryGetValue(Token(x, rowStart + item), out var hit)) break;
                    if (size >= startSize && hit.Slot >= 0) counts[hit.Slot]++;
                    node = hit;
                }
            }
            // Unigrams do not depend on the skip: count them in the first pass only.
            if (startSize == 1 && ++startSize > _spec.MaxGram) break;
        }
    }

    private void Weigh(Span<float> counts)
    {
        bool weighted = _spec.Weights.Length > 0;
        for (int i = 0; i < counts.Length; i++)
        {
            float w = weighted ? _spec.Weights[i] : 1f;
            counts[i] = _spec.Mode switch
            {
                "IDF" => counts[i] > 0 ? w : 0,
                "TFIDF" => counts[i] * w,
                _ => counts[i],
            };
        }
    }
}
