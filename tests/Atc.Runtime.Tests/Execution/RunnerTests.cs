using Atc.Compiler.Emit;
using System.CommandLine;
using Atc.Cli.Run;
using Atc.Runtime;
using Atc.Runtime.Format;
using Atc.Runtime.IO;

namespace Atc.Tests.Execution;

public sealed class RunnerTests : IDisposable
{
    private readonly TestOperators _ops = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("atc-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    /// <summary>SmallGraph with batch gears 1 and 2: output 0 = flatten(2 * (x + [2,4,6,8])), output 1 = x.</summary>
    private string BatchModel()
    {
        var om = TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[1, 4]], [[2, 4]]], ModelGearKind.Batch, [[1], [2]]);
        File.WriteAllBytes(Path("model.om"), OmWriter.Write(om));
        return Path("model.om");
    }

    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        var command = RunnerCommand.Create(path => InferenceModel.Load(File.ReadAllBytes(path), _ops.Resolver));
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = command.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void RunsNpyInputsAndWritesNpyOutputsWithASummary()
    {
        string model = BatchModel();
        Npy.Write(Path("x.npy"), TensorData.Float([2, 4], 1, 2, 3, 4, 5, 6, 7, 8));
        var (exit, stdout, _) = Run("--model=" + model, "--input=" + Path("x.npy"), "--output=" + Path("out"), "--loop=5", "--warmup=2");
        Assert.True(exit == 0, stdout);
        var y = Npy.Read(Path("out/x_output_0.npy"));
        Assert.Equal([8], y.Dims);
        Assert.Equal(new float[] { 6, 12, 18, 24, 14, 20, 26, 32 }, y.ToFloatArray());
        Assert.Equal([2, 4], Npy.Read(Path("out/x_output_1.npy")).Dims);
        Assert.Contains("gear: #1 (2)", stdout);
        Assert.Matches(@"summary: warmup = 2, loop = 5, min = [\d.]+ ms, max = [\d.]+ ms, mean = [\d.]+ ms, median = [\d.]+ ms, p99 = [\d.]+ ms, throughput = [\d.]+ inferences/s", stdout);
    }

    [Fact]
    public void ProfilePrintsTheSlowestOpsAndTheTimePerOpClass()
    {
        string model = BatchModel();
        var (exit, stdout, _) = Run("--model=" + model, "--dymBatch=2", "--loop=3", "--profile");
        Assert.True(exit == 0, stdout);
        Assert.Matches(@"profile: \d+ steps, [\d.]+ ms/run in kernels \(mean of 3 run\(s\)\)", stdout);
        Assert.Contains("slowest ops:", stdout);
        Assert.Contains("per op class:", stdout);
        Assert.Matches(@"\n\s+\d+\s+[\d.]+\s+[\d.]+%\s+\S+\s+\S+Kernel", stdout);
        Assert.DoesNotContain("profile:", Run("--model=" + model, "--dymBatch=2").Out);
    }

    [Fact]
    public void BinInputsUseTheGearFlagAndTxtOutput()
    {
        string model = BatchModel();
        TensorFiles.WriteBin(Path("x.bin"), TensorData.Float([1, 4], 1, 1, 1, 1));
        var (exit, stdout, _) = Run("--model", model, "--input", Path("x.bin"), "--dymBatch", "1", "--output", Path("out"), "--outfmt", "TXT");
        Assert.True(exit == 0, stdout);
        Assert.Equal("6 10 14 18\n", File.ReadAllText(Path("out/x_output_0.txt")));
        Assert.Contains("gear: #0 (1)", stdout);
    }

    [Fact]
    public void ZeroInputsWhenNoFilesAreGiven()
    {
        var (exit, stdout, _) = Run("--model=" + BatchModel(), "--dymShape=x:2,4", "--output=" + Path("o"), "--outfmt=bin");
        Assert.True(exit == 0, stdout);
        Assert.Equal(32, new FileInfo(Path("o/output_0.bin")).Length);
    }

    [Theory]
    [InlineData("ATC2201", "--dymBatch=3", "Value [3] for parameter [--dymBatch] matches no shape profile")]
    [InlineData("ATC2201", "--dymHW=2,2", "this model has a Batch profile")]
    [InlineData("E10001", "--loop=0", "Value [0] for parameter [--loop] is invalid")]
    [InlineData("E10001", "--outfmt=CSV", "NPY, BIN or TXT")]
    [InlineData("E10001", "--timeout=0", "Value [0] for parameter [--timeout] is invalid")]
    [InlineData("E10001", "--timeout=soon", "a number of seconds above 0")]
    [InlineData("E10001", "--dymShape=y:1,4", "no input 'y'; its inputs are x")]
    [InlineData("ATC2200", "--input=missing.npy", "the file does not exist")]
    [InlineData("ATC2200", "--input=missing.npy,b.npy", "the file does not exist")]
    public void MistakesAreCodedErrors(string code, string option, string expected)
    {
        string model = BatchModel();
        var (exit, stdout, _) = Run("--model=" + model, option.Replace("missing.npy", Path("missing.npy")));
        Assert.Equal(1, exit);
        Assert.Contains(Atc.Options.Errors.AtcErrors.RunFailedBanner, stdout);
        Assert.Contains(code + ": ", stdout);
        Assert.Contains(expected, stdout);
    }

    // ---- msame/ais_bench parity (issue 15) ----

    [Fact]
    public void ADirectoryOfSampleFilesIsBatchedPaddedToAGearAndSplitBackPerFile()
    {
        string model = BatchModel();
        Directory.CreateDirectory(Path("samples"));
        Npy.Write(Path("samples/a.npy"), TensorData.Float([1, 4], 1, 2, 3, 4));
        TensorFiles.WriteBin(Path("samples/b.bin"), TensorData.Float([1, 4], 5, 6, 7, 8));
        var (exit, stdout, _) = Run("--model=" + model, "--input=" + Path("samples"), "--output=" + Path("out"), "--device=0");
        Assert.True(exit == 0, stdout);
        Assert.Contains("--device=0 is ignored: this runtime runs on the CPU", stdout);
        Assert.Contains("gear: #1 (2)", stdout);
        // Output 1 (x itself, [batch,4]) is split back per file; output 0 is flattened ([8]), not batch-major: whole.
        Assert.Equal(new float[] { 1, 2, 3, 4 }, Npy.Read(Path("out/a_output_1.npy")).ToFloatArray());
        Assert.Equal(new float[] { 5, 6, 7, 8 }, Npy.Read(Path("out/b_output_1.npy")).ToFloatArray());
        Assert.Equal([1, 4], Npy.Read(Path("out/b_output_1.npy")).Dims);
        Assert.Equal(new float[] { 6, 12, 18, 24, 14, 20, 26, 32 }, Npy.Read(Path("out/b_output_0.npy")).ToFloatArray());

        // One file of a gear-2 model: not a gear without --auto_pad (ATC2201 says how), padded with it.
        var batchModel = TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[2, 4]], [[4, 4]]], ModelGearKind.Batch, [[2], [4]]);
        File.WriteAllBytes(Path("even.om"), OmWriter.Write(batchModel));
        var one = Run("--model=" + Path("even.om"), "--input=" + Path("samples/a.npy"), "--output=" + Path("padded"));
        Assert.Equal(1, one.Exit);
        Assert.Contains("ATC2201", one.Out);
        Assert.Contains("add --auto_pad", one.Out);
        var padded = Run("--model=" + Path("even.om"), "--input=" + Path("samples/a.npy"), "--auto_pad", "--output=" + Path("padded"), "--output_names");
        Assert.True(padded.Exit == 0, padded.Out);
        Assert.Contains("(1 zero row(s) of padding)", padded.Out);
        var graph = TestOm.SmallGraph();
        var y = Npy.Read(Path("padded/a_" + graph.Values[graph.Outputs[1]].Name + ".npy"));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, y.ToFloatArray());   // the padding row is not written
        Assert.Equal([1, 4], y.Dims);
    }

    [Fact]
    public void ABatchLargerThanEveryGearSaysHowManyRowsFit()
    {
        string model = BatchModel();
        Npy.Write(Path("three.npy"), TensorData.Float([3, 4], new float[12]));
        var (exit, stdout, _) = Run("--model=" + model, "--input=" + Path("three.npy"), "--auto_pad");
        Assert.Equal(1, exit);
        Assert.Contains("ATC2201", stdout);
        Assert.Contains("give at most 2 rows per run", stdout);
    }

    [Fact]
    public void RunHelpHasNoAdditionalArgumentsLine()
    {
        var stdout = new StringWriter();
        Atc.Cli.AtcCli.Run(["run", "--help"], stdout, new StringWriter());
        Assert.Contains("--auto_pad", stdout.ToString());
        Assert.DoesNotContain("Additional Arguments", stdout.ToString());
        Assert.DoesNotContain("additional arguments", stdout.ToString());
    }

    [Fact]
    public void InputFileProblemsAreCodedErrors()
    {
        string model = BatchModel();
        File.WriteAllBytes(Path("bad.npy"), [1, 2, 3]);
        Npy.Write(Path("long.npy"), TensorData.Int64([2, 4], new long[8]));
        Npy.Write(Path("three.npy"), TensorData.Float([3, 4], new float[12]));
        TensorFiles.WriteBin(Path("x.bin"), TensorData.Float([1, 4], 1, 1, 1, 1));
        File.WriteAllText(Path("x.csv"), "1");

        Assert.Contains("ATC2200", Run("--model=" + model, "--input=" + Path("bad.npy")).Out);
        Assert.Contains("astype(numpy.float32)", Run("--model=" + model, "--input=" + Path("long.npy")).Out);
        var noGear = Run("--model=" + model, "--input=" + Path("three.npy"));
        Assert.Contains("ATC2201", noGear.Out);
        Assert.Contains("x:1,4 | x:2,4", noGear.Out);
        Assert.Contains("gear: #0 (1)", Run("--model=" + model, "--input=" + Path("x.bin")).Out);   // a .bin of a batch model: rows from its length
        Assert.Contains("needs 32 bytes but the file has 16", Run("--model=" + model, "--input=" + Path("x.bin"), "--dymBatch=2").Out);
        Assert.Contains("'.csv' files are not supported", Run("--model=" + model, "--input=" + Path("x.csv")).Out);
    }

    [Fact]
    public void ModelProblemsAreCodedErrors()
    {
        var missing = Run("--model=" + Path("none.om"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("E13000", missing.Out);
        File.WriteAllBytes(Path("junk.om"), new byte[300]);
        var junk = Run("--model=" + Path("junk.om"));
        Assert.Contains("ATC2000: The offline model", junk.Out);
        Assert.Contains("bad magic", junk.Out);
    }

    [Fact]
    public void RangeModelsRunInsideTheRangeAndReportE10050Outside()
    {
        var om = TestOm.Compile(TestOm.SmallGraph(), _ops.Resolver, [[[1, 4]], [[8, 4]]], ModelGearKind.Range,
            ranges: [new InputShapeRange("x", [1, 4], [8, 4])]);
        File.WriteAllBytes(Path("range.om"), OmWriter.Write(om));
        var inside = Run("--model=" + Path("range.om"), "--dymShape=x:5,4");
        Assert.True(inside.Exit == 0, inside.Out);
        Assert.Contains("range shape [5,4]", inside.Out);
        var outside = Run("--model=" + Path("range.om"), "--dymShape=x:9,4");
        Assert.Equal(1, outside.Exit);
        Assert.Contains("E10050: Current dimension size [9] is not in the range of [1–8]", outside.Out);
    }

    [Fact]
    public void UnknownOptionsAndAMissingModelAreCoded()
    {
        var unknown = Run("--modelx=a.om");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("E10001: Value [--modelx=a.om] for parameter [atc run] is invalid", unknown.Out);
        Assert.Contains("--model, --input, --output", unknown.Out);
        var missing = Run("--loop=2");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("parameter [--model] is invalid", missing.Out);
    }

    [Fact]
    public void SummaryStatistics()
    {
        var s = LatencySummary.Of([4, 1, 3, 2]);
        Assert.Equal((1.0, 4.0, 2.5, 2.5, 4.0), (s.Min, s.Max, s.Mean, s.Median, s.P99));
        Assert.Equal(400, s.Throughput, 6);
        Assert.Equal(3, LatencySummary.Of([3, 1, 5]).Median);
        Assert.Contains("median = 2.500 ms", s.ToString());
    }
}
