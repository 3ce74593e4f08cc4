using System.Text;
using Atc.Fuzz.Mutation;
using Atc.Fuzz.Seeds;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Fuzz.Targets;

/// <summary>
/// ATC option text: lines "name=value" (ATC's option names without dashes) plus "model=&lt;seed&gt;" naming one of the
/// builders' models. Each case validates and compiles (--mode=3) that model with the mutated options, so the option
/// parsers, the model-dependent shape rules, gear expansion and per-gear planning all see the values. Options that
/// write files (output, mode, om, json) are not taken from the text.
/// AIPP hook: when the compiler reads --insert_op_conf, add its config text as a "file:insert_op_conf" seed section
/// mutated with <see cref="OptionTextMutator"/>, and write it next to the model in <see cref="Execute"/>.
/// </summary>
public sealed class OptionTextTarget : IFuzzTarget
{
    private readonly CompileRunner _runner;
    private readonly Dictionary<string, (string Path, string Framework)> _models = new(StringComparer.Ordinal);
    private readonly List<string> _donors;

    public OptionTextTarget(CompileRunner runner)
    {
        _runner = runner;
        foreach (var seed in ModelSeeds.PreferredTensorFlow) _models[seed.Name] = (runner.WriteModel(seed.Name + ".pb", seed.Bytes), "3");
        foreach (var seed in ModelSeeds.PreferredOnnx) _models[seed.Name] = (runner.WriteModel(seed.Name + ".onnx", seed.Bytes), "5");
        Seeds = SeedTexts.Select((t, i) => new FuzzSeed("options-" + i, Encoding.UTF8.GetBytes(t))).ToList();
        _donors = SeedTexts.ToList();
    }

    /// <summary>Valid command lines for the builders' models (input names: tf-mlp "Placeholder", tf-tiny-cnn and ONNX "input").</summary>
    private static readonly string[] SeedTexts =
    [
        "model=tf-mlp\ninput_shape=Placeholder:-1,16\ndynamic_batch_size=1,2,4",
        "model=tf-mlp\ninput_shape=Placeholder:4,16\nout_nodes=dense_0/Relu:0",
        "model=tf-tiny-cnn\ninput_shape=input:-1,-1,-1,3\ndynamic_dims=1,8,8;2,6,6\ninput_format=ND",
        "model=tf-tiny-cnn\ninput_shape=input:1,-1,-1,3\ndynamic_image_size=8,8;12,12\ninput_format=NHWC",
        "model=tf-tiny-cnn\ninput_shape_range=input:[1~4,8,8,3]",
        "model=onnx-mlp\ninput_shape=input:-1,64\ndynamic_batch_size=1,8\nsoc_version=Ascend310P3",
        "model=onnx-tiny-cnn\ninput_shape=input:1,3,-1,-1\ndynamic_image_size=32,32;16,16\ninput_format=NCHW",
        "model=onnx-tiny-cnn\ninput_shape=input:-1,3,32,32\ndynamic_dims=1;2;4\ninput_format=ND\nlog=error",
    ];

    public FuzzFormat Format => FuzzFormat.Options;
    public string Extension => ".txt";
    public IReadOnlyList<FuzzSeed> Seeds { get; }
    public int PreferredSeedCount => Seeds.Count;

    public byte[] Mutate(byte[] input, Random rng, List<string> log)
        => Encoding.UTF8.GetBytes(OptionTextMutator.Mutate(Encoding.UTF8.GetString(input), _donors, rng, log));

    public void Execute(byte[] input)
    {
        var options = new AtcCommandOptions { SocVersion = "Ascend310" };
        var model = _models.First();
        foreach (var line in Encoding.UTF8.GetString(input).Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq < 0) continue;
            string name = line[..eq], value = line[(eq + 1)..];
            if (name == "model") { if (_models.TryGetValue(value, out var m)) model = new(value, m); continue; }
            if (name is AtcOptionNames.Output or AtcOptionNames.Mode or AtcOptionNames.Om or AtcOptionNames.Json or AtcOptionNames.Model) continue;
            options.Set(name, value);
        }
        options.Model = model.Value.Path;
        options.Framework ??= model.Value.Framework;
        options.Mode = "3";
        _runner.Compile(options);
    }

    public string? CodeOf(Exception exception) => CompileRunner.CodeOf(exception);
}
