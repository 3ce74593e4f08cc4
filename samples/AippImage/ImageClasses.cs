namespace AippImage;

/// <summary>The model's classes and the ranking of its scores.</summary>
internal static class ImageClasses
{
    /// <summary>The picture size aipp.cfg declares (src_image_size_w/h).</summary>
    public const int SourceWidth = 48, SourceHeight = 40;

    /// <summary>Names for the model's 10 outputs. The sample's model is untrained (seeded random weights), so the
    /// ranking shows the pipeline working, not what the picture shows; a trained model's labels go here.</summary>
    private static readonly string[] Labels = [.. Enumerable.Range(0, 10).Select(i => "class " + i)];

    /// <summary>The <paramref name="count"/> best classes with softmax probabilities, best first.</summary>
    public static IEnumerable<(string Label, double Probability)> Top(float[] scores, int count)
    {
        double max = scores.Max();
        var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select((e, i) => (Labels[i], e / sum)).OrderByDescending(c => c.Item2).Take(count);
    }
}
