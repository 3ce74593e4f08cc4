namespace Atc.Benchmarks.Runners;

/// <summary>One runtime holding one model with its input bound: Run() is exactly what a benchmark iteration times.</summary>
public interface IModelRunner : IDisposable
{
    /// <summary>"atc" or "ort".</summary>
    string RuntimeName { get; }

    /// <summary>One inference on the bound input; the output stays readable through <see cref="Output"/>.</summary>
    void Run();

    /// <summary>The first output of the last run.</summary>
    ReadOnlySpan<float> Output { get; }
}
