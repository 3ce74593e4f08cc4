using Atc.Compiler.Shapes;
using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>What a successful run did.</summary>
/// <param name="Mode">The --mode that ran.</param>
/// <param name="OmPath">The .om written (--mode=0), else null.</param>
/// <param name="JsonPath">The JSON written (--mode=1), else null.</param>
/// <param name="Gears">The gears compiled; null when an existing .om was dumped.</param>
/// <param name="Signature">The model's inputs as the option rules saw them; null when an .om was dumped.</param>
/// <param name="SocVersion">--soc_version as recorded in the .om.</param>
/// <param name="Warnings">Diagnostics of warning severity.</param>
public sealed record CompileResult(
    AtcMode Mode,
    string? OmPath,
    string? JsonPath,
    GearSet? Gears,
    ModelDeclaration? Signature,
    string? SocVersion,
    IReadOnlyList<AtcDiagnostic> Warnings)
{
    /// <summary>The model compiled in this run (signature, gears, memory plan, .om bytes); null when an .om was dumped.</summary>
    public CompiledModel? Model { get; init; }

    /// <summary>--singleop: the .om files written (--mode=0) or the file names checked (--mode=3); null otherwise.</summary>
    public IReadOnlyList<string>? SingleOpFiles { get; init; }
}
