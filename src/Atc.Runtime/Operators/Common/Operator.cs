using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.Common;

/// <summary>Base for the operators of this family: the op type and an error helper that prefixes it.</summary>
internal abstract class Operator(string opType) : IOperator
{
    public string OpType { get; } = opType;

    public abstract TensorType[] InferOutputs(OpContext context);

    public abstract IKernel CreateKernel(OpContext context, TensorType[] outputs);

    /// <summary>A shape-rule failure, worded "OpType: message" so the planner can prefix node and gear.</summary>
    protected ShapeException Error(string message) => new($"{OpType}: {message}");

    /// <summary>Checks the element type of input <paramref name="index"/> against the types this op implements.</summary>
    protected TensorType RequireType(OpContext context, int index, params DataType[] allowed)
    {
        var input = context.HasInput(index) ? context.Input(index) : throw Error($"input {index} is required");
        if (Array.IndexOf(allowed, input.Type) < 0)
            throw Error($"input {index} has type {input.Type.Name()}; supported: {string.Join(", ", allowed.Select(t => t.Name()))}");
        return input;
    }

    /// <summary>Checks that inputs <paramref name="first"/>.. all share the element type of input <paramref name="first"/>.</summary>
    protected void RequireSameType(OpContext context, int first, int count)
    {
        var type = context.Input(first).Type;
        for (int i = first + 1; i < first + count; i++)
        {
            if (!context.HasInput(i)) continue;
            var t = context.Input(i).Type;
            if (t != type) throw Error($"input {i} has type {t.Name()} but input {first} has type {type.Name()}; they must match");
        }
    }

    /// <summary>Reads a constant integer input (shape-like: Reshape's shape, Slice's starts, ...).</summary>
    protected long[] ConstantInts(OpContext context, int index, string what)
    {
        var t = context.RequireConstant(index, $"{OpType} {what}");
        if (t.Type is not (DataType.Int64 or DataType.Int32))
            throw Error($"{what} (input {index}) must be int64 or int32, got {t.Type.Name()}");
        return t.ToInt64Array();
    }

    protected static TensorType[] One(DataType type, int[] dims) => [new TensorType(type, dims)];
}
