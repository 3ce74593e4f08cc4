namespace Atc.TestModels.TensorFlow;

/// <summary>ResNet v1.5 with bottleneck blocks (stride on the 3x3). Defaults are ResNet-50's topology.</summary>
public sealed record TfResNetOptions
{
    /// <summary>"Inputs" or "Placeholder" as real exports name it.</summary>
    public string InputName { get; init; } = "Inputs";
    public string OutputName { get; init; } = "output";
    public int ImageSize { get; init; } = 224;
    /// <summary>Bottleneck blocks per stage: [3, 4, 6, 3] is ResNet-50, [3, 4, 23, 3] ResNet-101.</summary>
    public int[] BlocksPerStage { get; init; } = [3, 4, 6, 3];
    /// <summary>Bottleneck width of the first stage (64 for ResNet-50); stage outputs are 4x the width, doubling per stage.</summary>
    public int BaseWidth { get; init; } = 64;
    public int Classes { get; init; } = 1000;
    public int Seed { get; init; } = 50;
}

/// <summary>MobileNetV2 (inverted residuals, linear bottlenecks, Relu6). Defaults are 1.0/224 with 1001 classes.</summary>
public sealed record TfMobileNetV2Options
{
    public string InputName { get; init; } = "input";
    public string OutputName { get; init; } = "output";
    public int ImageSize { get; init; } = 224;
    public double WidthMultiplier { get; init; } = 1.0;
    public int Classes { get; init; } = 1001;
    public int Seed { get; init; } = 2;
}

/// <summary>A multi-layer perceptron on a flat input [-1, InputSize].</summary>
public sealed record TfMlpOptions
{
    public string InputName { get; init; } = "Placeholder";
    public string OutputName { get; init; } = "output";
    public int InputSize { get; init; } = 784;
    public int[] Hidden { get; init; } = [256, 128];
    public int Classes { get; init; } = 10;
    public int Seed { get; init; } = 7;
}
