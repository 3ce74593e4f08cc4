namespace Atc.Runtime.Diagnostics;

/// <summary>One phase of Load, for <c>using var _ = LoadPhase.Begin("...")</c>: start on creation, stop on dispose,
/// nothing at all when no listener is attached (<see cref="LoadPhaseEventSource"/>).</summary>
internal readonly struct LoadPhase : IDisposable
{
    private readonly string? _name;

    private LoadPhase(string name) => _name = name;

    public static LoadPhase Begin(string name)
    {
        if (!LoadPhaseEventSource.Log.IsEnabled()) return default;
        LoadPhaseEventSource.Log.PhaseStart(name);
        return new LoadPhase(name);
    }

    public void Dispose()
    {
        if (_name is not null) LoadPhaseEventSource.Log.PhaseStop(_name);
    }

    /// <summary>The phase names, shared with the tools that print them.</summary>
    public const string Container = "read + verify .om";
    public const string Protobuf = "protobuf parse";
    public const string GraphAndPlans = "graph + plans";
    public const string OperatorLookup = "operator lookup";
    public const string PrepackedWeights = "prepacked weights";
    public const string Kernels = "kernels (all gears)";
    public const string WarmUp = "warm-up run";
    public const string SessionBuffers = "CreateSession";
}
