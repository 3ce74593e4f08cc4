using System.Text;
using Atc.Fuzz.Mutation;
using Atc.Options;

namespace Atc.Fuzz.Targets;

/// <summary>
/// ATC's single-op JSON (--singleop). Each case writes the text to a file and compiles every op in it with --mode=3
/// (reader, op table, attribute checks, shape inference and emitting; nothing written). The oracle: only coded errors.
/// </summary>
public sealed class SingleOpTarget : IFuzzTarget
{
    private readonly CompileRunner _runner;
    private readonly string _descriptionPath;

    public SingleOpTarget(CompileRunner runner)
    {
        _runner = runner;
        Directory.CreateDirectory(runner.WorkDirectory);
        _descriptionPath = Path.Combine(runner.WorkDirectory, "ops.json");
        Seeds = SeedTexts.Select((t, i) => new FuzzSeed("singleop-" + i, Encoding.UTF8.GetBytes(t))).ToList();
    }

    /// <summary>Valid descriptions: element-wise with broadcasting, a strided padded float16 conv, a MatMul with a
    /// constant input and attributes, a softmax and a cast.</summary>
    private static readonly string[] SeedTexts =
    [
        """[ { "op": "Add", "input_desc": [ {"format": "ND", "shape": [3, 3], "type": "int32"}, {"format": "ND", "shape": [1, 3], "type": "int32"} ], "output_desc": [ {"format": "ND", "shape": [3, 3], "type": "int32"} ] } ]""",
        """[ { "op": "Conv2D", "name": "conv", "input_desc": [ {"format": "NCHW", "shape": [1, 3, 6, 5], "type": "float16"}, {"format": "NCHW", "shape": [4, 3, 3, 3], "type": "float16"} ], "output_desc": [ {"format": "NCHW", "shape": [1, 4, 3, 5], "type": "float16"} ], "attr": [ {"name": "strides", "type": "list_int", "value": [1, 1, 2, 1]}, {"name": "pads", "type": "list_int", "value": [1, 0, 1, 1]}, {"name": "dilations", "type": "list_int", "value": [1, 1, 1, 1]} ] } ]""",
        """[ { "op": "MatMul", "name": "mm", "input_desc": [ {"format": "ND", "shape": [2, 3], "type": "float"}, {"format": "ND", "shape": [4, 3], "type": "float"}, {"format": "ND", "shape": [4], "type": "float", "is_const": true, "const_value": [1, 2, 3, 4]} ], "output_desc": [ {"format": "ND", "shape": [2, 4], "type": "float"} ], "attr": [ {"name": "transpose_x2", "type": "bool", "value": true} ] } ]""",
        """[ { "op": "SoftmaxV2", "input_desc": [ {"format": "ND", "shape": [2, 3], "type": "float"} ], "output_desc": [ {"format": "ND", "shape": [2, 3], "type": "float"} ], "attr": [ {"name": "axes", "type": "list_int", "value": [0]} ] }, { "op": "Cast", "input_desc": [ {"format": "ND", "shape": [4], "type": "float"} ], "output_desc": [ {"format": "ND", "shape": [4], "type": "float16"} ], "attr": [ {"name": "dst_type", "type": "int", "value": 1} ] } ]""",
    ];

    public FuzzFormat Format => FuzzFormat.SingleOp;
    public string Extension => ".json";
    public IReadOnlyList<FuzzSeed> Seeds { get; }
    public int PreferredSeedCount => 2;

    public byte[] Mutate(byte[] input, Random rng, List<string> log)
        => Encoding.UTF8.GetBytes(JsonTextMutator.Mutate(Encoding.UTF8.GetString(input), SeedTexts, rng, log));

    public void Execute(byte[] input)
    {
        File.WriteAllBytes(_descriptionPath, input);
        var options = new AtcCommandOptions { Mode = "3", SocVersion = "Ascend310", Output = Path.Combine(_runner.WorkDirectory, "ops") };
        options.Set(AtcOptionNames.SingleOp, _descriptionPath);
        _runner.Compile(options);
    }

    public string? CodeOf(Exception exception) => CompileRunner.CodeOf(exception);
}
