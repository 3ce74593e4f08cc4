using System.Diagnostics;
using System.Globalization;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;
using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.IO;

namespace Atc.Cli.Run;

/// <summary>
/// Executes `atc run`: loads the model, picks the gear (from --dymBatch/--dymHW/--dymDims/--dymShape or the input
/// files' shapes), binds the inputs, runs warm-up and timed loops, writes the outputs and prints a latency summary.
/// Every user mistake is reported as a coded diagnostic and a non-zero exit code.
/// </summary>
internal sealed class Runner(TextWriter output, Func<string, InferenceModel>? loadModel = null)
{
    private sealed class RunnerFailure(AtcDiagnostic diagnostic) : Exception(diagnostic.ToString())
    {
        public AtcDiagnostic Diagnostic { get; } = diagnostic;
    }

    public int Run(RunnerOptions options, CancellationToken cancellation = default)
    {
        try
        {
            Execute(options, cancellation);
            return 0;
        }
        catch (RunnerFailure failure)
        {
            Report(failure.Diagnostic);
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Report(AtcErrors.InternalError(e.GetType().Name + ": " + e.Message.TrimEnd('.')));
            return 1;
        }
    }

    /// <summary>Failures are printed like the compiler's: ATC's banner, then the code line, cause, solution and fix.</summary>
    private void Report(AtcDiagnostic d) => DiagnosticPrinter.PrintFailure(output, [d]);

    private static RunnerFailure Fail(AtcDiagnostic diagnostic) => new(diagnostic);

    private void Execute(RunnerOptions options, CancellationToken cancellation)
    {
        if (options.UnknownArguments.Count > 0)
            throw Fail(AtcErrors.RunnerArgumentUnknown(options.UnknownArguments[0], options.KnownOptions));
        if (options.Model.Length == 0)
            throw Fail(AtcErrors.RunnerOptionInvalid("model", "", "atc run needs the .om file to run: --model=<file>.om"));
        int loop = ParseCount(options.Loop, "loop", 1, minimum: 1);
        int warmup = ParseCount(options.Warmup, "warmup", 0, minimum: 0);
        int threads = ParseCount(options.Threads, "threads", 0, minimum: 0);
        double? timeout = ParseTimeout(options.Timeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } seconds) deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
        string format = options.OutFormat.ToUpperInvariant();
        if (format is not ("NPY" or "BIN" or "TXT"))
            throw Fail(AtcErrors.RunnerOptionInvalid("outfmt", options.OutFormat, "the output format must be NPY, BIN or TXT"));

        var model = Load(options.Model);
        var signature = model.Signature;
        output.WriteLine($"[INFO] model {options.Model}: '{model.Name}' from {model.SourceFramework}, {signature.Inputs.Count} input(s), "
            + $"{signature.Outputs.Count} output(s), {signature.GearKind} profile with {signature.Gears.Count} gear(s)");
        output.WriteLine($"[INFO] precision_mode: {(model.PrecisionMode.Length == 0 ? "force_fp32 (default)" : model.PrecisionMode)}");

        int[][]? shapes = SelectShapes(signature, options);
        if (options.Device is not null)
            output.WriteLine($"[INFO] --device={options.Device} is ignored: this runtime runs on the CPU, not on an Ascend device");
        var jobs = PlanJobs(signature, options, shapes);

        using var session = model.CreateSession(new SessionOptions { ThreadCount = threads });
        foreach (string warning in session.Warnings) output.WriteLine($"[WARNING] {warning}");
        var times = new List<double>(loop * jobs.Count);
        var profile = options.Profile ? new RunProfile() : null;
        foreach (var job in jobs)
        {
            var inputs = job.Inputs;
            try
            {
                for (int k = 0; k < inputs.Length; k++) session.SetInput(k, inputs[k]);
                session.Prepare();   // kernels and buffers are made here, not in the first timed run
                for (int i = 0; i < warmup; i++) session.Run(deadline.Token);
                session.Profiler = profile;
                for (int i = 0; i < loop; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    session.Run(deadline.Token);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                session.Profiler = null;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw Fail(AtcErrors.RunStopped(options.Model, cancellation.IsCancellationRequested
                    ? "the run was cancelled"
                    : $"--timeout={options.Timeout} seconds elapsed before the runs finished"));
            }
            catch (InferenceInputException e) when (OutsideRange(signature, inputs) is { } outside)
            {
                throw Fail(outside.WithFix(e.Message));
            }
            catch (InferenceInputException e)
            {
                throw Fail(AtcErrors.GearNotFound(string.Join(";", inputs.Select((t, k) => signature.Inputs[k].Name + ":" + string.Join(",", t.Dims))),
                    AcceptedShapes(signature), "input").WithFix(e.Message));
            }
            catch (PlanningException e)
            {
                throw Fail(AtcErrors.GearInvalid(e.NodeName, e.OpType, e.InputShapes, e.Detail));
            }
            catch (OmFormatException e)
            {
                throw Fail(AtcErrors.InvalidOmFile(options.Model, e.Detail));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw Fail(AtcErrors.RunFailed(options.Model, e.Message));
            }

            output.WriteLine($"[INFO] gear: {(session.LastGearIndex >= 0 ? signature.Gears[session.LastGearIndex].ToString() : "range shape " + string.Join("; ", inputs.Select(t => ShapeText.Format(t.Dims))))}"
                + (job.PaddedRows > 0 ? $" ({job.PaddedRows} zero row(s) of padding)" : ""));
            WriteOutputs(session, signature, job, options.Output, format, options.OutputNames);
        }
        output.WriteLine($"[INFO] summary: warmup = {warmup}, {LatencySummary.Of(times)}");
        profile?.Print(output, loop * jobs.Count);
    }

    /// <summary>ATC's E10050 for the first dimension outside a range profile's bounds, or null.</summary>
    private static AtcDiagnostic? OutsideRange(ModelSignature signature, TensorData[] inputs)
    {
        if (signature.GearKind != ModelGearKind.Range) return null;
        for (int k = 0; k < inputs.Length; k++)
        {
            var range = signature.Ranges[k];
            if (inputs[k].Rank != range.Min.Length) return null;
            for (int i = 0; i < range.Min.Length; i++)
            {
                int d = inputs[k].Dims[i];
                if (d < range.Min[i] || range.Max[i] >= 0 && d > range.Max[i])
                    return AtcErrors.RangeDimOutOfBounds(d, range.Min[i], range.Max[i]);
            }
        }
        return null;
    }

    private static double? ParseTimeout(string? value)
    {
        if (value is null) return null;
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s) && s > 0 && s <= int.MaxValue / 1000.0)
            return s;
        throw Fail(AtcErrors.RunnerOptionInvalid("timeout", value, "it must be a number of seconds above 0 (for example 30 or 0.5)"));
    }

    private int ParseCount(string? value, string option, int @default, int minimum)
    {
        if (value is null) return @default;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= minimum) return n;
        throw Fail(AtcErrors.RunnerOptionInvalid(option, value, $"it must be an integer of at least {minimum}"));
    }

    private InferenceModel Load(string path)
    {
        if (!File.Exists(path)) throw Fail(AtcErrors.ModelFileNotFound(path));
        try
        {
            return loadModel is null ? InferenceModel.Load(path) : loadModel(path);
        }
        catch (OmFormatException e)
        {
            throw Fail(AtcErrors.InvalidOmFile(path, e.Detail));
        }
        catch (IOException e)
        {
            throw Fail(AtcErrors.ModelFileNotFound(path).WithFix(e.Message));
        }
        catch (UnauthorizedAccessException e)
        {
            throw Fail(AtcErrors.ModelFileNotFound(path).WithFix(e.Message));
        }
    }

    // ---- gear selection ----

    /// <summary>The input shapes the gear flags ask for, or null when the input files decide.</summary>
    private static int[][]? SelectShapes(ModelSignature signature, RunnerOptions options)
    {
        var given = new (string Name, string? Value)[] { ("dymBatch", options.DymBatch), ("dymHW", options.DymHW), ("dymDims", options.DymDims), ("dymShape", options.DymShape) }
            .Where(p => p.Value is not null).ToList();
        if (given.Count > 1)
            throw Fail(AtcErrors.RunnerOptionInvalid(given[1].Name, given[1].Value!, $"--{given[0].Name} is already given; use only one gear option"));
        if (given.Count == 0) return null;
        var (name, value) = (given[0].Name, given[0].Value!);

        if (name == "dymShape" || name == "dymDims" && value.Contains(':'))
            return ParseNamedShapes(signature, value, name);

        var expectedKind = name switch
        {
            "dymBatch" => ModelGearKind.Batch,
            "dymHW" => ModelGearKind.ImageSize,
            _ => ModelGearKind.Dims,
        };
        if (signature.GearKind != expectedKind)
            throw Fail(AtcErrors.GearNotFound(value, AcceptedShapes(signature), name)
                .WithFix($"this model has a {signature.GearKind} profile; --{name} applies to models compiled with {OptionFor(expectedKind)}"));
        int[] selector = ParseInts(value, name);
        if (name == "dymHW" && selector.Length != 2)
            throw Fail(AtcErrors.RunnerOptionInvalid(name, value, "it must be \"height,width\""));
        var gear = signature.Gears.FirstOrDefault(g => g.Selector.AsSpan().SequenceEqual(selector))
            ?? throw Fail(AtcErrors.GearNotFound(value, signature.Gears.Select(g => string.Join(",", g.Selector)), name));
        return gear.InputShapes;
    }

    private static string OptionFor(ModelGearKind kind) => kind switch
    {
        ModelGearKind.Batch => "--dynamic_batch_size",
        ModelGearKind.ImageSize => "--dynamic_image_size",
        _ => "--dynamic_dims",
    };

    private static int[][] ParseNamedShapes(ModelSignature signature, string value, string option)
    {
        var shapes = new int[signature.Inputs.Count][];
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0) throw Fail(AtcErrors.RunnerOptionInvalid(option, value, $"'{part}' is not \"input_name:d1,d2,...\""));
            string inputName = part[..colon];
            int k = signature.Inputs.Select(i => i.Name).ToList().IndexOf(inputName);
            if (k < 0)
                throw Fail(AtcErrors.RunnerOptionInvalid(option, value,
                    $"the model has no input '{inputName}'; its inputs are {string.Join(", ", signature.Inputs.Select(i => i.Name))}"));
            shapes[k] = ParseInts(part[(colon + 1)..], option);
        }
        for (int k = 0; k < shapes.Length; k++)
            if (shapes[k] is null)
                throw Fail(AtcErrors.RunnerOptionInvalid(option, value, $"no shape is given for input '{signature.Inputs[k].Name}'"));
        return shapes;
    }

    private static int[] ParseInts(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                throw Fail(AtcErrors.RunnerOptionInvalid(option, text, $"'{parts[i]}' is not a non-negative integer"));
        return values;
    }

    private static IEnumerable<string> AcceptedShapes(ModelSignature signature)
    {
        var gears = signature.Gears.Select(g => string.Join(";", g.InputShapes.Select((s, k) => signature.Inputs[k].Name + ":" + string.Join(",", s))));
        return signature.GearKind == ModelGearKind.Range ? gears.Concat(signature.Ranges.Select(r => r.ToString())) : gears;
    }

    // ---- inputs and outputs ----

    /// <summary>
    /// One run of the model: its inputs, the stems of the files it came from (one per sample file; empty for zero-filled
    /// inputs), the rows each file holds when files were batched, and the zero rows padded on.
    /// </summary>
    private sealed record RunJob(TensorData[] Inputs, string[] Stems, int[]? Rows, int PaddedRows);

    private static List<RunJob> PlanJobs(ModelSignature signature, RunnerOptions options, int[][]? shapes)
    {
        var descriptors = signature.Inputs;
        if (options.Input is null)
        {
            shapes ??= signature.Gears.Count == 1 && signature.GearKind != ModelGearKind.Range
                ? signature.Gears[0].InputShapes
                : throw Fail(AtcErrors.RunnerInputInvalid("(none)",
                    "without --input the runner feeds zeros and needs the shapes: give --dymBatch, --dymHW, --dymDims or --dymShape"));
            return [new RunJob([.. descriptors.Select((d, k) => new TensorData(d.Type, shapes[k], new byte[ShapeText.ElementCount(shapes[k]) * d.Type.SizeOf()]))], [], null, 0)];
        }

        var files = InputFileList.Expand(options.Input, [.. descriptors.Select(d => d.Name)], (path, reason) => Fail(AtcErrors.RunnerInputInvalid(path, reason)));
        int samples = files[0].Length;
        bool batched = signature.GearKind == ModelGearKind.Batch;
        var stems = files[0].Select(f => Path.GetFileNameWithoutExtension(f)).ToArray();
        if (!batched)
        {
            // Not a batch profile: one run per sample file (msame's loop over a directory).
            return [.. Enumerable.Range(0, samples).Select(i => new RunJob(
                [.. descriptors.Select((_, k) => ReadFile(signature, k, files[k][i], shapes, checkGear: true))], [stems[i]], null, 0))];
        }

        // A batch profile: the files of each input are stacked along the batch axis into one run.
        var inputs = new TensorData[descriptors.Count];
        int[] rows = [];
        for (int k = 0; k < inputs.Length; k++)
        {
            var parts = files[k].Select(f => ReadFile(signature, k, f, samples == 1 && options.AutoPad is not true ? shapes : null, checkGear: false)).ToList();
            if (k == 0) rows = [.. parts.Select(p => p.Rank > 0 ? p.Dims[0] : 1)];
            inputs[k] = BatchAssembly.Concatenate(parts, out string? problem) ?? throw Fail(AtcErrors.RunnerInputInvalid(string.Join(",", files[k]), problem!));
        }
        int batch = rows.Sum();
        int target = TargetBatch(signature, batch, shapes, options.AutoPad is true);
        for (int k = 0; k < inputs.Length; k++)
            if (inputs[k].Rank > 0 && inputs[k].Dims[0] == batch) inputs[k] = BatchAssembly.PadTo(inputs[k], target);
        return [new RunJob(inputs, stems, rows, target - batch)];
    }

    /// <summary>The gear a batch of <paramref name="batch"/> rows runs on: its own size, or (--auto_pad) the nearest larger gear.</summary>
    private static int TargetBatch(ModelSignature signature, int batch, int[][]? shapes, bool autoPad)
    {
        var gears = signature.Gears.Select(g => g.Selector[0]).Order().ToArray();
        int? requested = shapes?[0].Length > 0 ? shapes[0][0] : null;
        int? target = requested ?? (gears.Contains(batch) ? batch : autoPad ? gears.Where(g => g >= batch).Cast<int?>().FirstOrDefault() : null);
        string accepted = "batch " + string.Join(", ", gears);
        if (target is { } t && t == batch) return t;
        if (target is { } padded && padded > batch && autoPad) return padded;
        string fix = target is { } small && small < batch || batch > gears[^1]
            ? $"the files hold {batch} rows, more than the gear can take ({requested ?? gears[^1]}): give at most {requested ?? gears[^1]} rows per run"
            : $"the files hold {batch} rows; add --auto_pad to pad them with zero rows up to the nearest gear ({accepted}), or give a number of rows that is a gear";
        throw Fail(AtcErrors.GearNotFound("batch " + batch.ToString(CultureInfo.InvariantCulture), AcceptedShapes(signature), "input").WithFix(fix));
    }

    /// <param name="checkGear">Whether the file alone must have the selected gear's shape (not when files are batched).</param>
    private static TensorData ReadFile(ModelSignature signature, int k, string path, int[][]? shapes, bool checkGear)
    {
        var d = signature.Inputs[k];
        if (!File.Exists(path)) throw Fail(AtcErrors.RunnerInputInvalid(path, "the file does not exist"));
        try
        {
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext == ".npy")
            {
                var t = Npy.Read(path);
                // NumPy has no bfloat16; its bits come as uint16.
                if (t.Type == DataType.UInt16 && d.Type == DataType.BFloat16) t = new TensorData(DataType.BFloat16, t.Dims, t.Bytes);
                if (t.Type != d.Type)
                    throw Fail(AtcErrors.RunnerInputInvalid(path, $"it holds {t.Type.Name()} but input '{d.Name}' is {d.Type.Name()} (convert with a.astype(numpy.{NumpyName(d.Type)}))"));
                if ((checkGear || shapes is not null) && shapes is not null && !t.Dims.AsSpan().SequenceEqual(shapes[k]))
                    throw Fail(AtcErrors.GearNotFound(d.Name + ":" + string.Join(",", t.Dims), [ShapeText.Format(shapes[k])], "input")
                        .WithFix($"'{path}' has shape {ShapeText.Format(t.Dims)} but the selected gear takes {ShapeText.Format(shapes[k])} for input '{d.Name}': "
                            + "write the file with that shape, select its own gear (--dymBatch/--dymHW/--dymDims/--dymShape), or add --auto_pad for a smaller batch"));
                return t;
            }
            if (ext == ".bin")
                return TensorFiles.ReadBin(path, d.Type, BinShape(signature, k, path, shapes));
            throw Fail(AtcErrors.RunnerInputInvalid(path, $"'{ext}' files are not supported; give .npy or .bin files"));
        }
        catch (NpyFormatException e)
        {
            throw Fail(AtcErrors.RunnerInputInvalid(path, e.Detail));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw Fail(AtcErrors.RunnerInputInvalid(path, e.Message));
        }
    }

    /// <summary>
    /// A .bin file has no header: its shape is the selected gear's, the only gear's, or (batch profiles) a gear's
    /// sample shape with as many rows as the file holds.
    /// </summary>
    private static int[] BinShape(ModelSignature signature, int k, string path, int[][]? shapes)
    {
        if (shapes is not null) return shapes[k];
        if (signature.Gears.Count == 1 && signature.GearKind != ModelGearKind.Range) return signature.Gears[0].InputShapes[k];
        if (signature.GearKind == ModelGearKind.Batch)
        {
            var sample = (int[])signature.Gears[0].InputShapes[k].Clone();
            long rowBytes = ShapeText.ElementCount(sample.Skip(1)) * signature.Inputs[k].Type.SizeOf();
            long length = new FileInfo(path).Length;
            if (sample.Length > 0 && rowBytes > 0 && length % rowBytes == 0 && length / rowBytes <= int.MaxValue)
            {
                sample[0] = (int)(length / rowBytes);
                return sample;
            }
            throw Fail(AtcErrors.RunnerInputInvalid(path, $"its {length} bytes are not a whole number of {ShapeText.Format(sample.Skip(1))} rows of {signature.Inputs[k].Type.Name()} ({rowBytes} bytes each)"));
        }
        throw Fail(AtcErrors.RunnerInputInvalid(path, "a .bin file has no shape and the model has several gears: give --dymBatch, --dymHW, --dymDims or --dymShape, or use .npy"));
    }

    private static string NumpyName(DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.Float64 => "float64",
        DataType.Int64 => "int64",
        DataType.Int32 => "int32",
        DataType.UInt8 => "uint8",
        DataType.Int8 => "int8",
        DataType.Float16 => "float16",
        DataType.UInt16 or DataType.BFloat16 => "uint16",
        DataType.Int16 => "int16",
        DataType.UInt32 => "uint32",
        DataType.UInt64 => "uint64",
        _ => "bool_",
    };

    /// <summary>
    /// Writes every output in the model's output order as &lt;input file stem&gt;_output_&lt;k&gt; (msame's names) or, with
    /// --output_names, &lt;stem&gt;_&lt;output name&gt;; a batch made of several files is split back into one file each.
    /// </summary>
    private void WriteOutputs(InferenceSession session, ModelSignature signature, RunJob job, string? directory, string format, bool? byName)
    {
        for (int k = 0; k < signature.Outputs.Count; k++)
        {
            var d = signature.Outputs[k];
            var dims = session.GetOutputShape(k).ToArray();
            var tensor = new TensorData(d.Type, dims, OutputBytes(session, k, d.Type));
            string suffix = byName is true ? SafeFileName(d.Name) : $"output_{k}";
            output.WriteLine($"[INFO] output_{k}: {d.Name} {d.Type.Name()}{ShapeText.Format(dims)}");
            if (directory is null) continue;
            if (job.Stems.Length == 0)
            {
                Write(tensor, suffix);
                continue;
            }
            bool split = job.Rows is not null && dims.Length > 0 && dims[0] == job.Rows.Sum() + job.PaddedRows;
            int row = 0;
            for (int i = 0; i < job.Stems.Length; i++)
            {
                var part = split ? BatchAssembly.Rows(tensor, row, job.Rows![i]) : tensor;
                if (split) row += job.Rows![i];
                Write(part, job.Stems[i] + "_" + suffix);
            }
        }

        void Write(TensorData tensor, string name)
        {
            string file = Path.Combine(directory!, $"{name}.{format.ToLowerInvariant()}");
            try
            {
                Directory.CreateDirectory(directory!);
                switch (format)
                {
                    case "NPY": Npy.Write(file, tensor); break;
                    case "BIN": TensorFiles.WriteBin(file, tensor); break;
                    default: TensorFiles.WriteText(file, tensor); break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Fail(AtcErrors.RunnerOptionInvalid("output", directory!, e.Message));
            }
            output.WriteLine($"[INFO]   -> {file}");
        }
    }

    /// <summary>An output name as a file name part ("dense/BiasAdd:0" → "dense_BiasAdd_0").</summary>
    private static string SafeFileName(string name)
        => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_')]);

    private static byte[] OutputBytes(InferenceSession session, int k, DataType type) => type switch
    {
        DataType.Float32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<float>(k)).ToArray(),
        DataType.Float64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<double>(k)).ToArray(),
        DataType.Int64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<long>(k)).ToArray(),
        DataType.Int32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<int>(k)).ToArray(),
        DataType.UInt8 => session.GetOutput<byte>(k).ToArray(),
        DataType.Int8 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<sbyte>(k)).ToArray(),
        DataType.Float16 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<Half>(k)).ToArray(),
        DataType.UInt16 or DataType.BFloat16 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<ushort>(k)).ToArray(),
        DataType.Int16 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<short>(k)).ToArray(),
        DataType.UInt32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<uint>(k)).ToArray(),
        DataType.UInt64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<ulong>(k)).ToArray(),
        _ => System.Runtime.InteropServices.MemoryMarshal.AsBytes(session.GetOutput<bool>(k)).ToArray(),
    };
}
