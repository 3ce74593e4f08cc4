using Atc.Runtime.Core;

namespace Atc.Runtime;

/// <summary>How a model's input shapes may vary (ATC's dynamic-shape options).</summary>
public enum ModelGearKind
{
    /// <summary>One fixed shape per input.</summary>
    Static = 0,
    /// <summary>Gears over the batch axis (--dynamic_batch_size).</summary>
    Batch = 1,
    /// <summary>Gears over height and width (--dynamic_image_size).</summary>
    ImageSize = 2,
    /// <summary>Gears over every -1 axis (--dynamic_dims).</summary>
    Dims = 3,
    /// <summary>Any shape inside per-axis bounds (--input_shape with a~b ranges).</summary>
    Range = 4,
}

/// <summary>A model input or output: name, element type, layout and declared dims (-1 where gears differ).</summary>
public sealed record TensorDescriptor(string Name, DataType Type, string Format, long[] Dims)
{
    /// <summary>
    /// True for an output whose size depends on the input data (it is computed by NonZero, NonMaxSuppression, a
    /// Reshape to a computed shape, ...): its data-dependent dims are -1 in <see cref="Dims"/> and in every gear's
    /// output shapes (Dims is [-2] when even the rank is known only after a run), and
    /// <see cref="InferenceSession.GetOutputShape"/> gives the actual shape after each run.
    /// </summary>
    public bool IsDataDependent { get; init; }

    /// <summary>"name: float32[-1,4] NCHW".</summary>
    public override string ToString() => $"{Name}: {Type.Name()}{Shape.Format(Dims)} {Format}";
}

/// <summary>One compiled shape profile: the values selecting it and the concrete shapes of every input and output.</summary>
public sealed record ModelGear(int Index, int[] Selector, int[][] InputShapes, int[][] OutputShapes)
{
    /// <summary>"#1 (2): [2,4]".</summary>
    public override string ToString()
        => $"#{Index}" + (Selector.Length > 0 ? " (" + string.Join(",", Selector) + ")" : "")
           + ": " + string.Join("; ", InputShapes.Select(s => Shape.Format(s)));
}

/// <summary>Bounds of one input in a range profile: per axis min and max (inclusive; max -1 = unbounded).</summary>
public sealed record InputShapeRange(string InputName, int[] Min, int[] Max)
{
    /// <summary>True when <paramref name="dims"/> has this input's rank and every axis is inside its bounds.</summary>
    public bool Contains(ReadOnlySpan<int> dims)
    {
        if (dims.Length != Min.Length) return false;
        for (int i = 0; i < dims.Length; i++)
            if (dims[i] < Min[i] || Max[i] >= 0 && dims[i] > Max[i]) return false;
        return true;
    }

    /// <summary>"x:[1~4,3,224,224]".</summary>
    public override string ToString()
        => InputName + ":[" + string.Join(",", Min.Select((m, i) => m == Max[i] ? m.ToString() : m + "~" + (Max[i] < 0 ? "" : Max[i].ToString()))) + "]";
}

/// <summary>What a compiled model accepts and returns.</summary>
public sealed class ModelSignature
{
    // Built by the .om reader and the compiler; users read it from InferenceModel.Signature.
    internal ModelSignature(IReadOnlyList<TensorDescriptor> inputs, IReadOnlyList<TensorDescriptor> outputs,
        ModelGearKind gearKind, IReadOnlyList<ModelGear> gears, IReadOnlyList<InputShapeRange> ranges)
    {
        Inputs = inputs;
        Outputs = outputs;
        GearKind = gearKind;
        Gears = gears;
        Ranges = ranges;
    }

    /// <summary>The inputs in the order sessions take them.</summary>
    public IReadOnlyList<TensorDescriptor> Inputs { get; }
    /// <summary>The outputs in the order sessions return them.</summary>
    public IReadOnlyList<TensorDescriptor> Outputs { get; }
    /// <summary>How the input shapes may vary.</summary>
    public ModelGearKind GearKind { get; }
    /// <summary>The gears planned at compile time (for a range profile: the shapes planned ahead of time).</summary>
    public IReadOnlyList<ModelGear> Gears { get; }
    /// <summary>For <see cref="ModelGearKind.Range"/>: one entry per input; otherwise empty.</summary>
    public IReadOnlyList<InputShapeRange> Ranges { get; }

    /// <summary>"accepted gears: #0 (1): x:[1,3,224,224]; #1 (2): ..." for messages.</summary>
    public string DescribeAccepted()
    {
        var text = "accepted gears: " + string.Join(" | ", Gears.Select(g => DescribeGear(g)));
        if (GearKind == ModelGearKind.Range)
            text += "; accepted ranges: " + string.Join("; ", Ranges);
        return text;
    }

    private string DescribeGear(ModelGear gear)
        => $"#{gear.Index}" + (gear.Selector.Length > 0 ? " (" + string.Join(",", gear.Selector) + ")" : "") + ": "
           + string.Join("; ", gear.InputShapes.Select((s, k) => (k < Inputs.Count ? Inputs[k].Name : "input" + k) + ":" + Shape.Format(s)));
}
