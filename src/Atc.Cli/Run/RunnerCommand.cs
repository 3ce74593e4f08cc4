using System.CommandLine;
using Atc.Runtime;

namespace Atc.Cli.Run;

/// <summary>`atc run`: executes an .om on input files, in the spirit of msame / ais_bench.</summary>
public static class RunnerCommand
{
    public static Command Create() => Create(null);

    /// <param name="loadModel">Loads the model from a path; tests pass one with their own operators.</param>
    internal static Command Create(Func<string, InferenceModel>? loadModel)
    {
        var command = new Command("run", "Run an offline model (.om) on .npy/.bin inputs (msame/ais_bench style).");
        var model = new Option<string?>("--model") { Description = "The .om file to run (required)." };
        var input = new Option<string?>("--input") { Description = "One .npy/.bin file or directory of them per model input, comma-separated, in input order (a one-input model also takes a list of files). Files of a batch model are batched along axis 0. Omitted: zero-filled inputs." };
        var output = new Option<string?>("--output") { Description = "Directory for <input file stem>_output_0.npy, ... (in the model's output order)." };
        var outputNames = new Option<bool?>("--output_names") { Description = "Name output files <input file stem>_<output name> instead of <input file stem>_output_<k>." };
        var autoPad = new Option<bool?>("--auto_pad") { Description = "Pad a batch that is not a gear with zero rows up to the nearest gear (outputs keep only the real rows)." };
        var device = new Option<string?>("--device") { Description = "Accepted for msame/ais_bench scripts; ignored (this runtime runs on the CPU)." };
        var outfmt = new Option<string?>("--outfmt") { Description = "Output file format: NPY (default), BIN or TXT." };
        var dymBatch = new Option<string?>("--dymBatch") { Description = "Batch size gear to run (models compiled with --dynamic_batch_size)." };
        var dymHW = new Option<string?>("--dymHW") { Description = "\"h,w\" gear to run (models compiled with --dynamic_image_size)." };
        var dymDims = new Option<string?>("--dymDims") { Description = "Gear to run for --dynamic_dims models: the dims values \"d1,d2\" or input shapes \"name:1,3,224,224;...\"." };
        var dymShape = new Option<string?>("--dymShape") { Description = "Input shapes \"name:1,3,224,224;...\" (any profile, including ranges)." };
        var loop = new Option<string?>("--loop") { Description = "Number of timed runs (default 1)." };
        var warmup = new Option<string?>("--warmup", "--warmup_count") { Description = "Untimed runs before the timed ones (default 0)." };
        var threads = new Option<string?>("--threads") { Description = "Threads for the kernels (default: one per processor)." };
        var timeout = new Option<string?>("--timeout") { Description = "Seconds the command may run before it stops with ATC2203 (default: no limit; Ctrl+C also stops it)." };
        var profile = new Option<bool>("--profile") { Description = "Time every step of the timed runs; print the slowest ops and the time per op class." };
        var all = new Option[] { model, input, output, outputNames, outfmt, dymBatch, dymHW, dymDims, dymShape, autoPad, loop, warmup, threads, timeout, device, profile };
        foreach (var option in all) command.Options.Add(option);
        // Unknown tokens become a coded diagnostic in the runner rather than the parser's uncoded message.
        command.TreatUnmatchedTokensAsErrors = false;

        command.SetAction((parse, cancellation) =>
        {
            var options = new RunnerOptions
            {
                Model = parse.GetValue(model) ?? "",
                UnknownArguments = [.. parse.UnmatchedTokens],
                KnownOptions = [.. all.Select(o => o.Name)],
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                OutFormat = parse.GetValue(outfmt) ?? "NPY",
                DymBatch = parse.GetValue(dymBatch),
                DymHW = parse.GetValue(dymHW),
                DymDims = parse.GetValue(dymDims),
                DymShape = parse.GetValue(dymShape),
                Loop = parse.GetValue(loop),
                Warmup = parse.GetValue(warmup),
                Threads = parse.GetValue(threads),
                Timeout = parse.GetValue(timeout),
                Profile = parse.GetValue(profile),
                Device = parse.GetValue(device),
                AutoPad = parse.GetValue(autoPad),
                OutputNames = parse.GetValue(outputNames),
            };
            var config = parse.InvocationConfiguration;
            // On a thread-pool thread, so that Ctrl+C (which cancels the token) is seen while a run is in progress.
            return Task.Run(() => new Runner(config.Output, loadModel).Run(options, cancellation), CancellationToken.None);
        });
        return command;
    }
}
