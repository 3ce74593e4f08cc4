using System.Collections.Generic;
using System.Linq;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Manifest;

namespace Atc.SourceGen
{
    /// <summary>A model input or output as the emitter names it.</summary>
    internal sealed class TensorModel
    {
        public TensorModel(ManifestTensor tensor, int index, string name, IReadOnlyList<int> shape)
        {
            Tensor = tensor;
            Index = index;
            Name = name;
            Parameter = Naming.Camel(name);
            Type = TensorTypes.CSharpType(tensor.DataType);
            Shape = shape;
            // A data-dependent output's -1 is a count from the data (detections), not the batch: never sliced by rows.
            BatchMajor = !tensor.DataDependent && tensor.Shape.Count > 0 && tensor.Shape[0] == -1 && tensor.Shape.Skip(1).All(d => d >= 0);
        }

        public ManifestTensor Tensor { get; }
        /// <summary>Position in the model's signature: the index passed to SetInput/GetOutput.</summary>
        public int Index { get; }
        public string Name { get; }
        public string Parameter { get; }
        public string Type { get; }
        /// <summary>The shape in this context: concrete for a gear, the signature's shape otherwise.</summary>
        public IReadOnlyList<int> Shape { get; }
        /// <summary>The first axis varies with the batch and the others are fixed.</summary>
        public bool BatchMajor { get; }

        public TensorModel WithShape(IReadOnlyList<int> shape) => new TensorModel(Tensor, Index, Name, shape);
    }

    /// <summary>One gear as the emitter names it: "Batch4", "Image448x448", "Dims4x128", or "" for a static model.</summary>
    internal sealed class GearModel
    {
        public GearModel(ManifestGear gear, string prefix, string description, IReadOnlyList<TensorModel> inputs, IReadOnlyList<TensorModel> outputs)
        {
            Gear = gear;
            Prefix = prefix;
            Description = description;
            Inputs = inputs;
            Outputs = outputs;
        }

        public ManifestGear Gear { get; }
        public IReadOnlyList<int> Selector => Gear.Selector;
        public string Prefix { get; }
        public string Description { get; }
        public IReadOnlyList<TensorModel> Inputs { get; }
        public IReadOnlyList<TensorModel> Outputs { get; }
    }

    /// <summary>The names and per-gear shapes of one wrapper, computed once from the spec.</summary>
    internal sealed class EmitModel
    {
        public EmitModel(ModelSpec spec)
        {
            Spec = spec;
            var manifest = spec.Manifest;
            // A static model whose manifest lists no gear still has one: its signature's shapes.
            var gears = manifest.Gears.Count > 0 || manifest.Kind == GearKind.Range
                ? manifest.Gears
                : new[]
                {
                    new ManifestGear(new int[0], manifest.Inputs.Select(t => new ManifestShape(t.Name, t.Shape)).ToList(),
                        manifest.Outputs.Select(t => new ManifestShape(t.Name, t.Shape)).ToList(), 0),
                };
            var prefixes = gears.Select(g => Prefix(manifest.Kind, g)).ToList();
            var reserved = new HashSet<string>
            {
                spec.ClassName, "BatchOutput", "BatchSize", "Gear", "Equals", "GetHashCode", "ToString",
                "GetType", "MemberwiseClone", "Finalize", "Model", "Run", "Load", "Dispose", "ResourceName",
            };
            // A tensor property may not share its nested class's name: "Input"/"Output" are taken only where a class
            // has that name (static and range models), so a dynamic-batch model's "output" is simply .Output.
            if (manifest.Kind == GearKind.Range) { reserved.Add("Input"); reserved.Add("Output"); }
            foreach (var prefix in prefixes) { reserved.Add(prefix + "Input"); reserved.Add(prefix + "Output"); }

            var inputNames = Naming.UniquePascal(manifest.Inputs.Select(i => i.Name), reserved);
            var outputNames = Naming.UniquePascal(manifest.Outputs.Select(o => o.Name), reserved);
            Inputs = manifest.Inputs.Select((tensor, index) => new TensorModel(tensor, index, inputNames[index], tensor.Shape)).ToList();
            Outputs = manifest.Outputs.Select((tensor, index) => new TensorModel(tensor, index, outputNames[index], tensor.Shape)).ToList();
            Gears = gears.Select((gear, index) => new GearModel(gear, prefixes[index], Describe(manifest.Kind, gear),
                Inputs.Select(input => input.WithShape(ShapeIn(gear.Inputs, input.Tensor))).ToList(),
                Outputs.Select(output => output.WithShape(ShapeIn(gear.Outputs, output.Tensor))).ToList())).ToList();
        }

        public ModelSpec Spec { get; }
        public IReadOnlyList<TensorModel> Inputs { get; }
        public IReadOnlyList<TensorModel> Outputs { get; }
        public IReadOnlyList<GearModel> Gears { get; }

        public string ProfileDescription
        {
            get
            {
                var manifest = Spec.Manifest;
                var gears = string.Join(", ", manifest.Gears.Select(g => string.Join(manifest.Kind == GearKind.ImageSize ? "x" : ",", g.Selector)));
                return manifest.Kind switch
                {
                    GearKind.Batch => "dynamic batch size: " + gears,
                    GearKind.ImageSize => "dynamic image size: " + string.Join(", ", manifest.Gears.Select(g => string.Join("x", g.Selector))),
                    GearKind.Dims => "dynamic dims: " + string.Join("; ", manifest.Gears.Select(g => string.Join(",", g.Selector))),
                    GearKind.Range => "shape range",
                    _ => "static shapes",
                };
            }
        }

        /// <summary>Per-axis bounds of an input in a range profile (an input without a range is fixed).</summary>
        public (IReadOnlyList<int> Min, IReadOnlyList<int> Max) Bounds(TensorModel input)
        {
            var range = Spec.Manifest.Ranges.FirstOrDefault(r => r.InputName == input.Tensor.Name);
            if (range is not null) return (range.Min, range.Max);
            return (input.Tensor.Shape, input.Tensor.Shape);
        }

        private static IReadOnlyList<int> ShapeIn(IReadOnlyList<ManifestShape> shapes, ManifestTensor tensor) =>
            shapes.FirstOrDefault(s => s.Name == tensor.Name)?.Shape ?? tensor.Shape;

        private static string Prefix(GearKind kind, ManifestGear gear) => kind switch
        {
            GearKind.Batch => "Batch" + gear.Selector[0],
            GearKind.ImageSize => "Image" + string.Join("x", gear.Selector),
            GearKind.Dims => "Dims" + string.Join("x", gear.Selector),
            _ => "",
        };

        private static string Describe(GearKind kind, ManifestGear gear) => kind switch
        {
            GearKind.Batch => "batch " + gear.Selector[0],
            GearKind.ImageSize => "image size " + string.Join("x", gear.Selector),
            GearKind.Dims => "dims " + string.Join(",", gear.Selector),
            _ => "the model",
        };
    }
}
