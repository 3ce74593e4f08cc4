using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// The shape rule and kernel factory shared by LSTM, GRU and RNN: any sequence length and batch (each gear plans
/// its own), outputs Y, Y_h (and Y_c) in the node's layout.
/// </summary>
internal abstract class RecurrentOperator(RecurrentCellKind cell) : IOperator
{
    public abstract string OpType { get; }

    public TensorType[] InferOutputs(OpContext context)
    {
        var spec = RecurrentSpec.Read(context, cell);
        var outputs = new TensorType[Math.Max(1, context.OutputCount)];
        outputs[0] = new TensorType(DataType.Float32, spec.SequenceOutputDims);
        for (int i = 1; i < outputs.Length; i++) outputs[i] = new TensorType(DataType.Float32, spec.StateDims);
        return outputs;
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => new RecurrentKernel(context, RecurrentSpec.Read(context, cell), KernelIsa.Current);
}

/// <summary>ONNX LSTM (gates iofc, optional peepholes iof, input_forget).</summary>
internal sealed class LstmOperator() : RecurrentOperator(RecurrentCellKind.Lstm)
{
    public override string OpType => OpTypes.Lstm;
}

/// <summary>ONNX GRU (gates zrh, linear_before_reset).</summary>
internal sealed class GruOperator() : RecurrentOperator(RecurrentCellKind.Gru)
{
    public override string OpType => OpTypes.Gru;
}

/// <summary>ONNX RNN (one gate).</summary>
internal sealed class RnnOperator() : RecurrentOperator(RecurrentCellKind.Rnn)
{
    public override string OpType => OpTypes.Rnn;
}
