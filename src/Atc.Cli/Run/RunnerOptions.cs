namespace Atc.Cli.Run;

/// <summary>The options of `atc run`, as given (validated by <see cref="Runner"/> so that errors carry codes).</summary>
public sealed record RunnerOptions
{
    public required string Model { get; init; }
    /// <summary>Comma-separated .npy/.bin files or directories in model input order; null = zero-filled inputs.</summary>
    public string? Input { get; init; }
    /// <summary>Directory for &lt;stem&gt;_output_0.npy, ...; null = do not write outputs.</summary>
    public string? Output { get; init; }
    public string OutFormat { get; init; } = "NPY";
    public string? DymBatch { get; init; }
    public string? DymHW { get; init; }
    public string? DymDims { get; init; }
    public string? DymShape { get; init; }
    public string? Loop { get; init; }
    public string? Warmup { get; init; }
    public string? Threads { get; init; }
    /// <summary>--timeout: seconds the whole command may run (load, warm-up, timed runs) before it stops with ATC2203.</summary>
    public string? Timeout { get; init; }
    /// <summary>--profile: time every step of the timed runs and print per-op and per-op-class tables.</summary>
    public bool Profile { get; init; }
    /// <summary>--device (msame/ais_bench scripts pass it): accepted and ignored on the CPU, with a note.</summary>
    public string? Device { get; init; }
    /// <summary>--auto_pad: pad a batch of files with zero rows up to the nearest gear.</summary>
    public bool? AutoPad { get; init; }
    /// <summary>--output_names: name output files after the model's outputs instead of output_&lt;k&gt;.</summary>
    public bool? OutputNames { get; init; }
    /// <summary>Command-line tokens that matched no option (reported as an error).</summary>
    public IReadOnlyList<string> UnknownArguments { get; init; } = [];
    /// <summary>The option names, for messages.</summary>
    public IReadOnlyList<string> KnownOptions { get; init; } = [];
}
