using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Serving;

namespace Atc.Runtime;

/// <summary>Runs on caller memory: inputs read in place, outputs written in place (the model's serving API).</summary>
public sealed partial class InferenceSession
{
    private int[]?[]? _externalShapes;   // the shapes _externalGear was found for
    private GearExecutor? _externalGear;

    /// <summary>
    /// Runs with the kernels reading <paramref name="inputs"/> and writing <paramref name="outputs"/> where they
    /// point (every address pinned by the caller for the call). An output without a destination goes to the session's
    /// own buffer. Afterwards the session's bound inputs and last outputs are cleared (they were never in its buffers).
    /// </summary>
    internal void RunOnBindings(ReadOnlySpan<PinnedBinding> inputs, ReadOnlySpan<PinnedBinding> outputs, IReadOnlyList<OutputBinding?> destinations,
        CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            var gear = SelectExternalGear(inputs);
            for (int k = 0; k < destinations.Count; k++)
                if (destinations[k] is { } destination) CheckDestination(k, outputs[k], destination, gear);

            Reserve(gear);
            for (int k = 0; k < inputs.Length; k++) _inputPointers[k] = inputs[k].Address;
            for (int k = 0; k < destinations.Count; k++)
                if (destinations[k] is not null) _outputPointers[k] = outputs[k].Address;
            _lastRun = null;
            try
            {
                gear.Bind(_arena.Pointer, _inputPointers, _outputPointers, _valuePointers, _operandPointers);
                gear.Run(_operandPointers, _valuePointers, _outputPointers, _scratch.Pointer, _pool, cancellationToken, DynamicStorage(gear));
                RecordOutputs(gear, destinations, outputs);
            }
            finally
            {
                // The pointers are the caller's: the next run of this session binds its own buffers again.
                _bound = null;
                Array.Clear(_inputShapes);
                _selected = null;
            }
            for (int k = 0; k < destinations.Count; k++)
                destinations[k]?.Written(_runOutputShapes[k], _runOutputBytes[k] / Model.Signature.Outputs[k].Type.SizeOf());
        }
        finally { Exit(); }
    }

    private GearExecutor SelectExternalGear(ReadOnlySpan<PinnedBinding> inputs)
    {
        var signature = Model.Signature;
        if (inputs.Length != signature.Inputs.Count)
            throw new InferenceInputException($"model '{Model.Name}' has {signature.Inputs.Count} inputs ({string.Join(", ", signature.Inputs.Select(i => i.Name))}); "
                + $"{inputs.Length} were given", nameof(inputs));
        _externalShapes ??= new int[signature.Inputs.Count][];
        bool same = _externalGear is not null;
        for (int k = 0; k < inputs.Length; k++)
        {
            var input = inputs[k];
            var expected = signature.Inputs[k].Type;
            if (!ElementTypes.Carries(input.Type, expected))
                throw new InferenceInputException($"input {k} ('{signature.Inputs[k].Name}') is {expected.Name()}; the data given is {input.ClrTypeName}. "
                    + $"Pass {ElementTypes.ClrName(expected)} values.", nameof(inputs));
            CheckShape(k, input.ElementCount, input.Shape);
            same &= _externalShapes[k].AsSpan().SequenceEqual(input.Shape);
        }
        if (same) return _externalGear!;
        var shapes = new int[inputs.Length][];
        for (int k = 0; k < shapes.Length; k++) shapes[k] = inputs[k].Shape!;
        var gear = Model.FindGear(shapes)
            ?? throw new InferenceInputException($"input shapes {string.Join("; ", shapes.Select((s, k) => signature.Inputs[k].Name + ":" + Shape.Format(s)))} "
                + $"match no gear of model '{Model.Name}'; {signature.DescribeAccepted()}", nameof(inputs));
        shapes.CopyTo(_externalShapes, 0);
        _externalGear = gear;
        return gear;
    }

    private void CheckDestination(int index, PinnedBinding destination, OutputBinding target, GearExecutor gear)
    {
        var output = Model.Signature.Outputs[index];
        if (output.IsDataDependent)
        {
            // Its size is known only after the run (RecordOutputs checks it then); the element type is checked now.
            if (!ElementTypes.Carries(destination.Type, output.Type))
                throw new InferenceInputException($"output {index} ('{output.Name}') is {output.Type.Name()}; the destination holds {destination.ClrTypeName}. "
                    + $"Pass a {ElementTypes.ClrName(output.Type)} destination.", "outputs");
            return;
        }
        if (target.ShapeMismatch(gear.OutputShapes[index]) is { } mismatch)
            throw new InferenceInputException($"output {index} ('{output.Name}'): {mismatch}", "outputs");
        if (!ElementTypes.Carries(destination.Type, output.Type))
            throw new InferenceInputException($"output {index} ('{output.Name}') is {output.Type.Name()}; the destination holds {destination.ClrTypeName}. "
                + $"Pass a {ElementTypes.ClrName(output.Type)} destination.", "outputs");
        long needed = gear.OutputByteSizes[index] / output.Type.SizeOf();
        if (destination.ElementCount < needed)
            throw new InferenceInputException($"output {index} ('{output.Name}') has shape {Shape.Format(gear.OutputShapes[index])} in this gear and needs "
                + $"{needed} elements; the destination holds {destination.ElementCount}. Pass a destination of at least {needed} elements.", "outputs");
    }
}
