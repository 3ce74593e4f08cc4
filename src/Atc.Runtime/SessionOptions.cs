namespace Atc.Runtime;

/// <summary>Options of one <see cref="InferenceSession"/>.</summary>
public sealed record SessionOptions
{
    /// <summary>Threads the kernels may use; 0 = one per processor.</summary>
    public int ThreadCount { get; init; }
}
