using System.Runtime.InteropServices;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;

namespace Atc.Runtime;

/// <summary>
/// Load's warm-up through the calls a caller makes: <see cref="SetInput{T}(int, ReadOnlySpan{T}, ReadOnlySpan{int})"/>
/// with each input's own element type, <see cref="Run()"/> and <see cref="GetOutput{T}(int)"/>. Each of those is
/// its own method to the JIT (a generic one once per element type), so a warm-up through private shortcuts left
/// about ten of them, and the first real Run of a small model paid their compilation: 10-140 steady runs.
/// </summary>
public sealed partial class InferenceSession
{
    /// <summary>The token the parameterless <see cref="Run()"/> passes: none, except while Load's warm-up runs it
    /// under its deadline.</summary>
    private CancellationToken _runCancellation;

    /// <summary>Runs one gear on zeros through the public calls (Load runs its smallest one on a throw-away
    /// session); afterwards no input is bound and there is no output, as in a new session.</summary>
    internal void WarmUpOneGear(GearExecutor gear, CancellationToken cancellation)
    {
        var inputs = Model.Signature.Inputs;
        try
        {
            for (int k = 0; k < _inputs.Length; k++) BindZeros(k, inputs[k].Type, gear.Plan.InputShapes[k]);
            _runCancellation = cancellation;
            try
            {
                Run();
            }
            catch (InferenceInputException e) when (e.Message.StartsWith(RuntimeErrors.DataDependentShapeInvalidCode, StringComparison.Ordinal))
            {
                return;   // zeros computed a shape the model never sees from real data (a Reshape to [0,...])
            }
            catch (ArithmeticException)
            {
                return;   // an integer division by a zero input: not the model's error; the steps before it are compiled
            }
            for (int k = 0; k < _outputs.Length; k++) ReadOutput(k, Model.Signature.Outputs[k].Type);
        }
        finally
        {
            _runCancellation = default;
            _bound = null;
            _lastRun = null;
            _selected = null;
            Array.Clear(_inputShapes);
        }
    }

    /// <summary>Binds zeros of <paramref name="shape"/> to input <paramref name="index"/> with the element type a caller
    /// passes for <paramref name="type"/> (ushort for bfloat16, as <see cref="ElementTypes.Carries"/> takes it).</summary>
    private void BindZeros(int index, DataType type, int[] shape)
    {
        switch (type)
        {
            case DataType.Float32: BindZeros<float>(index, shape); break;
            case DataType.Float64: BindZeros<double>(index, shape); break;
            case DataType.Float16: BindZeros<Half>(index, shape); break;
            case DataType.Int64: BindZeros<long>(index, shape); break;
            case DataType.Int32: BindZeros<int>(index, shape); break;
            case DataType.UInt8: BindZeros<byte>(index, shape); break;
            case DataType.Int8: BindZeros<sbyte>(index, shape); break;
            case DataType.Bool: BindZeros<bool>(index, shape); break;
            case DataType.UInt16 or DataType.BFloat16: BindZeros<ushort>(index, shape); break;
            case DataType.Int16: BindZeros<short>(index, shape); break;
            case DataType.UInt32: BindZeros<uint>(index, shape); break;
            case DataType.UInt64: BindZeros<ulong>(index, shape); break;
            default: throw new NotSupportedException($"no CLR element type carries {type.Name()}");
        }
    }

    private void BindZeros<T>(int index, int[] shape) where T : unmanaged
    {
        long count = Shape.ElementCount(shape);
        long bytes = count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        // The input's own buffer is the source (copied onto itself), so the zeros cost no allocation.
        _inputs[index].EnsureCapacity(bytes);
        var zeros = _inputs[index].AsSpan(bytes);
        zeros.Clear();
        SetInput<T>(index, MemoryMarshal.Cast<byte, T>(zeros), shape);
    }

    private void ReadOutput(int index, DataType type)
    {
        switch (type)
        {
            case DataType.Float32: _ = GetOutput<float>(index); break;
            case DataType.Float64: _ = GetOutput<double>(index); break;
            case DataType.Float16: _ = GetOutput<Half>(index); break;
            case DataType.Int64: _ = GetOutput<long>(index); break;
            case DataType.Int32: _ = GetOutput<int>(index); break;
            case DataType.UInt8: _ = GetOutput<byte>(index); break;
            case DataType.Int8: _ = GetOutput<sbyte>(index); break;
            case DataType.Bool: _ = GetOutput<bool>(index); break;
            case DataType.UInt16 or DataType.BFloat16: _ = GetOutput<ushort>(index); break;
            case DataType.Int16: _ = GetOutput<short>(index); break;
            case DataType.UInt32: _ = GetOutput<uint>(index); break;
            case DataType.UInt64: _ = GetOutput<ulong>(index); break;
        }
    }
}
