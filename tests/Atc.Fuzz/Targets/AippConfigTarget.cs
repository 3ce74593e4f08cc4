using System.Text;
using Atc.Fuzz.Mutation;
using Atc.Fuzz.Seeds;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Fuzz.Targets;

/// <summary>
/// AIPP configuration text (--insert_op_conf). Each case writes the text to a file and compiles the ONNX tiny CNN
/// ([N,3,32,32], batch gears 1 and 2, --mode=3) with it, so the parser, the model checks and the graph rewrite all see it;
/// a configuration that compiles is then run once on gear 0 with a zero image, so the AippPreprocess kernel runs too.
/// The oracle: only coded errors.
/// </summary>
public sealed class AippConfigTarget : IFuzzTarget
{
    private readonly CompileRunner _runner;
    private readonly string _modelPath;
    private readonly string _configPath;

    public AippConfigTarget(CompileRunner runner)
    {
        _runner = runner;
        var seed = ModelSeeds.PreferredOnnx.First(s => s.Name == "onnx-tiny-cnn");
        _modelPath = runner.WriteModel(seed.Name + ".onnx", seed.Bytes);
        _configPath = Path.Combine(runner.WorkDirectory, "aipp.cfg");
        Seeds = SeedTexts.Select((t, i) => new FuzzSeed("aipp-" + i, Encoding.UTF8.GetBytes(t))).ToList();
    }

    /// <summary>Valid configurations for the [N,3,32,32] model: every input format and switch at least once.</summary>
    private static readonly string[] SeedTexts =
    [
        "aipp_op {\n  aipp_mode: static\n  input_format: RGB888_U8\n  src_image_size_w: 32\n  src_image_size_h: 32\n  mean_chn_0: 104\n  var_reci_chn_0: 0.0171\n}",
        "aipp_op {\n  input_format: YUV420SP_U8\n  src_image_size_w: 40\n  src_image_size_h: 36\n  crop: true\n  load_start_pos_w: 4\n  load_start_pos_h: 2\n  crop_size_w: 32\n  crop_size_h: 32\n  csc_switch: true\n  rbuv_swap_switch: true\n  matrix_r0c0: 298\n  matrix_r0c2: 409\n  matrix_r1c0: 298\n  matrix_r1c1: -100\n  matrix_r1c2: -208\n  matrix_r2c0: 298\n  matrix_r2c1: 516\n  input_bias_0: 16\n  input_bias_1: 128\n  input_bias_2: 128\n}",
        "aipp_op {\n  input_format: XRGB8888_U8\n  ax_swap_switch: true\n  padding: true\n  left_padding_size: 2\n  right_padding_size: 2\n  top_padding_size: 1\n  bottom_padding_size: 3\n  padding_value: 0.5\n  min_chn_1: 1.5\n}",
        "# two blocks, one for a second input the model does not have\naipp_op { input_format: RGB888_U8 }\naipp_op { related_input_rank: 1 input_format: RGB888_U8 }",
        "aipp_op: { aipp_mode: dynamic max_src_image_size: 3072 }",
    ];

    public FuzzFormat Format => FuzzFormat.Aipp;
    public string Extension => ".cfg";
    public IReadOnlyList<FuzzSeed> Seeds { get; }
    public int PreferredSeedCount => 3;

    public byte[] Mutate(byte[] input, Random rng, List<string> log)
        => Encoding.UTF8.GetBytes(AippTextMutator.Mutate(Encoding.UTF8.GetString(input), SeedTexts, rng, log));

    public void Execute(byte[] input)
    {
        File.WriteAllBytes(_configPath, input);
        var options = CompileRunner.PreCheck(_modelPath, "5");
        options.InputShape = "input:-1,3,32,32";
        options.DynamicBatchSize = "1,2";
        options.InsertOpConf = _configPath;
        var result = _runner.Compile(options);
        var model = InferenceModel.Load(result.Model!.OmBytes);
        var image = model.Signature.Inputs[0];
        var shape = model.Signature.Gears[0].InputShapes[0];
        int count = checked((int)Shape.ElementCount(shape));
        model.Run(image.Type == DataType.UInt8 ? TensorData.FromArray(DataType.UInt8, shape, new byte[count]) : TensorData.Float(shape, new float[count]));
    }

    public string? CodeOf(Exception exception) => CompileRunner.CodeOf(exception);
}
