using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Tests.Ops;

namespace Atc.Tests.TensorOps;

/// <summary>The node-suite ops on hand-computed cases, and the run-time input errors their kernels report.</summary>
public class NodeSuiteOpTests
{
    private static OpAttributes TfIdf(string mode, long maxSkip, params float[] weights)
    {
        var a = T.Attrs(("mode", mode), ("min_gram_length", 1L), ("max_gram_length", 2L), ("max_skip_count", maxSkip),
            ("ngram_counts", new long[] { 0, 2 }), ("ngram_indexes", new long[] { 0, 1, 2, 3 }), ("pool_int64s", new long[] { 1, 2, 1, 2, 2, 3 }));
        if (weights.Length > 0) a.Set("weights", weights);
        return a;
    }

    // Rows [1 2 1 2 3 4] and [2 3 2 3 2 3]; pool: unigrams 1, 2 and bigrams (1 2), (2 3).
    private static readonly TensorData Tokens = T.I([2, 6], 1, 2, 1, 2, 3, 4, 2, 3, 2, 3, 2, 3);

    [Fact]
    public void TfIdfVectorizer_counts_pool_ngrams_per_row()
        => T.Close([2, 4], [2, 2, 2, 1, 0, 3, 0, 3], OpTester.Run(OpTypes.TfIdfVectorizer, TfIdf("TF", 0), Tokens));

    [Fact]
    public void TfIdfVectorizer_skips_count_spaced_bigrams_and_unigrams_once()
    {
        // [1 5 2 1 7 2]: no adjacent pool bigram; with skip 1, (1 2) at positions 0/2 and 3/5.
        var tokens = T.L([6], 1, 5, 2, 1, 7, 2);
        T.Close([4], [2, 2, 2, 0], OpTester.Run(OpTypes.TfIdfVectorizer, TfIdf("TF", 1), tokens));
    }

    [Fact]
    public void TfIdfVectorizer_weighs_by_output_slot()
    {
        T.Close([2, 4], [2, 1, 4, 1, 0, 1.5f, 0, 3], OpTester.Run(OpTypes.TfIdfVectorizer, TfIdf("TFIDF", 0, 1, 0.5f, 2, 1), Tokens));
        T.Close([2, 4], [1, 0.5f, 2, 1, 0, 0.5f, 0, 1], OpTester.Run(OpTypes.TfIdfVectorizer, TfIdf("IDF", 0, 1, 0.5f, 2, 1), Tokens));
    }

    [Fact]
    public void TfIdfVectorizer_rejects_a_pool_that_ngram_counts_does_not_split()
    {
        var a = TfIdf("TF", 0);
        a.Set("pool_int64s", new long[] { 1, 2, 1, 2, 2 });
        OpTester.ShapeError(OpTypes.TfIdfVectorizer, a, [Tokens], "pool_int64s", "2-grams");
    }

    [Fact]
    public void Det_of_singular_and_permuted_matrices()
    {
        T.Close([2], [0, -1], OpTester.Run(OpTypes.Det, null, T.F([2, 2, 2], 1, 2, 2, 4, 0, 1, 1, 0)));
        var d = OpTester.Run(OpTypes.Det, null, T.D([3, 3], 2, 0, 0, 0, 3, 0, 0, 0, 4));
        Assert.Equal(24.0, d.AsSpan<double>()[0], 12);
    }

    [Fact]
    public void MaxUnpool_index_outside_the_output_is_an_input_error()
    {
        var e = Assert.Throws<InferenceInputException>(() => OpTester.RunDynamic(OpTypes.MaxUnpool,
            T.Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), [false, false],
            T.F([1, 1, 1, 1], 5), T.L([1, 1, 1, 1], 4)));
        Assert.Contains("I holds 4", e.Message);
    }

    [Fact]
    public void NegativeLogLikelihoodLoss_target_outside_the_classes_is_an_input_error()
    {
        var e = Assert.Throws<InferenceInputException>(() => OpTester.RunDynamic(OpTypes.NegativeLogLikelihoodLoss, null,
            [false, false], T.F([2, 3], 1, 2, 3, 4, 5, 6), T.L([2], 0, 3)));
        Assert.Contains("class 3", e.Message);
        Assert.Contains("ignore_index", e.Message);
    }

    [Fact]
    public void ReverseSequence_requires_batch_and_time_axes_0_and_1()
        => OpTester.ShapeError(OpTypes.ReverseSequence, T.Attrs(("batch_axis", 0L), ("time_axis", 2L)),
            [T.F([2, 2, 2], 1, 2, 3, 4, 5, 6, 7, 8), T.L([2], 1, 2)], "batch_axis 0", "time_axis 2");
}
