using Atc.Compiler.Driver;
using Atc.Options;
using Atc.Runtime;
using Atc.TestModels.Caffe;

namespace Atc.Tests.Caffe;

/// <summary>A builder Caffe model written to disk and compiled as `atc --framework=0 --model=x.prototxt
/// --weight=x.caffemodel --input_shape=data:-1,... --dynamic_batch_size=1,4` would (in memory, --mode=3).</summary>
internal static class CompiledCaffeModel
{
    public static readonly int[] Batches = [1, 4];

    public static InferenceModel Compile(CaffeModel model, string folder)
    {
        var (prototxt, weights) = model.WriteTo(folder);
        var options = Options(prototxt, weights);
        options.InputShape = model.InputName + ":-1," + string.Join(",", model.InputDims.Skip(1));
        options.DynamicBatchSize = string.Join(",", Batches);
        var result = new ModelCompiler().Compile(options);
        return InferenceModel.Load(result.Model!.OmBytes);
    }

    /// <summary>--mode=3 options for the two files (no shape option: the net's declared shapes).</summary>
    public static AtcCommandOptions Options(string prototxt, string weights)
    {
        var options = new AtcCommandOptions { Model = prototxt, Framework = "0", Mode = "3", SocVersion = "Ascend310" };
        options.Set(AtcOptionNames.Weight, weights);
        return options;
    }
}
