using Atc.Compiler.Emit;
using Atc.Compiler.Frontends;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Compiler.Tooling;
using Atc.Options;

namespace Atc.Compiler.Driver;

/// <summary>The stages the driver calls; the defaults are the real front ends, passes and emitter (tests replace them).</summary>
public sealed class CompilerServices
{
    public static CompilerServices Default { get; } = new();

    /// <summary>The importer for a framework and --weight (the Caffe .caffemodel; null for other frameworks).</summary>
    public Func<AtcFramework, string?, IModelImporter> CreateImporter { get; init; } = ModelImporters.Create;
    /// <summary>The passes, without the ones --fusion_switch_file turns off (by pass name).</summary>
    public Action<Graph, IReadOnlySet<string>> Optimize { get; init; } = PassPipeline.Run;
    public Func<Graph, GearSet, EmitOptions, CompiledModel> Emit { get; init; } = OmEmitter.Compile;
    /// <summary>An .om's bytes and its path (for messages) to JSON.</summary>
    public Func<byte[], string, string> DumpJson { get; init; } = OmJsonConverter.ToJson;
    /// <summary>A model compiled in this run to JSON (--mode=1 with --framework), without reading its bytes back.</summary>
    public Func<CompiledModel, string> DescribeJson { get; init; } = OmJsonConverter.ToJson;
}
