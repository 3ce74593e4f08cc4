using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Text;

/// <summary>
/// TfIdfVectorizer over integer tokens: X [C] or [N, C] (int32/int64) → float32 [max(ngram_indexes) + 1] or
/// [N, that]. Attrs min_gram_length, max_gram_length, max_skip_count, mode ("TF", "IDF", "TFIDF"), ngram_counts
/// (start of the 1-grams, 2-grams, ... in pool_int64s), ngram_indexes (output slot of each pool n-gram), weights
/// (per output slot, default 1). Counts every pool n-gram whose tokens are skip+1 apart for skip in [0,
/// max_skip_count]; unigrams once.
/// </summary>
internal sealed class TfIdfVectorizerOperator() : Operator(OpTypes.TfIdfVectorizer)
{
    public static readonly string[] Modes = ["TF", "IDF", "TFIDF"];

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Indices);
        if (x.Rank is not (1 or 2)) throw Error($"X must be [C] or [N, C], got {x}");
        var spec = Spec(context);
        return One(DataType.Float32, x.Rank == 1 ? [spec.OutputSize] : [x.Dims[0], spec.OutputSize]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        int rows = x.Rank == 1 ? 1 : x.Dims[0];
        return new TfIdfVectorizerKernel(Spec(context), rows, x.Dims[^1], x.Type == DataType.Int64);
    }

    private TfIdfSpec Spec(OpContext context)
    {
        var a = context.Attributes;
        long minGram = a.GetInt("min_gram_length", 0), maxGram = a.GetInt("max_gram_length", 0), maxSkip = a.GetInt("max_skip_count", 0);
        if (minGram < 1 || maxGram < minGram) throw Error($"min_gram_length {minGram} and max_gram_length {maxGram} must satisfy 1 ≤ min ≤ max");
        if (maxSkip < 0) throw Error($"max_skip_count {maxSkip} must be ≥ 0");
        string mode = a.GetString("mode", "TF");
        if (Array.IndexOf(Modes, mode) < 0) throw Error($"mode '{mode}' must be one of {string.Join(", ", Modes)}");
        long[] pool = a.GetInts("pool_int64s", []), counts = a.GetInts("ngram_counts", []), indexes = a.GetInts("ngram_indexes", []);
        if (indexes.Length == 0) throw Error("ngram_indexes is empty");
        var grams = new List<long[]>();
        for (int n = 0; n < counts.Length; n++)
        {
            long start = counts[n], end = n + 1 < counts.Length ? counts[n + 1] : pool.Length;
            if (start < 0 || end > pool.Length || end < start || (end - start) % (n + 1) != 0)
                throw Error($"ngram_counts {Shape.Format([.. counts.Select(c => (int)Math.Clamp(c, int.MinValue, int.MaxValue))])} does not split pool_int64s ({pool.Length} values) into {n + 1}-grams");
            for (long i = start; i < end; i += n + 1) grams.Add(pool[(int)i..(int)(i + n + 1)]);
        }
        if (grams.Count != indexes.Length) throw Error($"pool_int64s holds {grams.Count} n-grams but ngram_indexes has {indexes.Length} entries");
        long outputSize = indexes.Max() + 1;
        if (indexes.Min() < 0 || outputSize > int.MaxValue) throw Error("ngram_indexes must hold output slots in [0, 2^31-1)");
        float[] weights = a.GetFloats("weights", []);
        if (weights.Length != 0 && weights.Length != outputSize) throw Error($"weights has {weights.Length} values, expected {outputSize} (one per output slot)");
        return new TfIdfSpec((int)minGram, (int)maxGram, (int)maxSkip, mode, grams, [.. indexes.Select(i => (int)i)], (int)outputSize, weights);
    }
}

/// <summary>The attributes, checked, with the pool split into its n-grams (in pool order).</summary>
internal sealed record TfIdfSpec(int MinGram, int MaxGram, int MaxSkip, string Mode, List<long[]> Grams, int[] Slots, int OutputSize, float[] Weights);
