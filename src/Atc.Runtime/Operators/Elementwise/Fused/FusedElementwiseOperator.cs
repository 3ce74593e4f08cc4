using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.Operators.Elementwise.Fused;

/// <summary>
/// FusedElementwise (compiler): a chain of element-wise steps over float32 inputs broadcast (numpy rules) into one
/// output. The running value starts as input 0; attr "steps" lists the steps (<see cref="ElementwiseStep"/>),
/// attr "scalars" the constant operands and parameters they refer to.
/// </summary>
internal sealed class FusedElementwiseOperator() : Operator(OpTypes.FusedElementwise)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        Program(context);
        return One(DataType.Float32, OutputDims(context));
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var inputs = Enumerable.Range(0, context.InputCount).Select(i => context.Input(i).Dims).ToArray();
        return new FusedElementwiseKernel(BroadcastPlan.Create(outputs[0].Dims, inputs), Program(context));
    }

    private int[] OutputDims(OpContext context)
    {
        int[] dims = [];
        for (int i = 0; i < context.InputCount; i++)
        {
            var input = RequireType(context, i, DataType.Float32);
            try
            {
                dims = Shape.Broadcast(dims, input.Dims);
            }
            catch (ShapeException)
            {
                throw Error($"input {i} {input} does not broadcast with the others ({Shape.Format(dims)})");
            }
        }
        return dims;
    }

    /// <summary>The steps, checked: known ops, operands in range, the parameters each unary needs.</summary>
    private FusedStep[] Program(OpContext context)
    {
        if (context.InputCount == 0) throw Error("needs at least one input");
        string[] encoded = context.Attributes.GetStrings("steps", []);
        float[] scalars = context.Attributes.GetFloats("scalars", []);
        if (encoded.Length == 0) throw Error("attr \"steps\" is empty");
        var steps = new FusedStep[encoded.Length];
        for (int s = 0; s < encoded.Length; s++)
        {
            var step = ElementwiseStep.Decode(encoded[s]);
            bool binary = ElementwiseProgram.Binaries.Contains(step.Op);
            int parameters = ElementwiseProgram.Unaries.TryGetValue(step.Op, out int p) ? p : -1;
            if (!binary && parameters < 0) throw Error($"step {s}: '{step.Op}' is not an op a fused chain can hold");
            if (binary == (step.Operand == StepOperand.None)) throw Error($"step {s}: '{encoded[s]}' has the wrong kind of operand for {step.Op}");
            int limit = step.Operand is StepOperand.Input or StepOperand.InputFirst ? context.InputCount : scalars.Length;
            int needed = step.Operand == StepOperand.None ? parameters : 1;
            if (needed > 0 && (step.Index < 0 || step.Index + needed > limit))
                throw Error($"step {s}: '{encoded[s]}' refers past the {limit} {(limit == context.InputCount ? "inputs" : "scalars")}");
            steps[s] = binary
                ? new FusedStep(step, null, step.Operand is StepOperand.Scalar or StepOperand.ScalarFirst ? [scalars[step.Index]] : [])
                : new FusedStep(step, ElementwiseProgram.Unary(step.Op, parameters == 0 ? default : scalars.AsSpan(step.Index, parameters)), []);
        }
        return steps;
    }
}

/// <summary>A decoded step: the unary map, or the binary op with its constant operand (one element, else empty).</summary>
internal sealed record FusedStep(ElementwiseStep Step, FloatMap? Map, float[] Constant);
