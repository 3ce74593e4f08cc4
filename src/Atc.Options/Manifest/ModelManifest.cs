using System;
using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;

namespace Atc.Options.Manifest
{

    /// <summary>A named tensor: element type name ("float32", "int64", ...) and shape (-1 = varies by gear or unknown).</summary>
    public sealed class ManifestTensor
    {
        public ManifestTensor(string name, string dataType, IReadOnlyList<int> shape, bool hasUnknownRank = false, bool dataDependent = false)
        {
            DataDependent = dataDependent;
            Name = name;
            DataType = dataType;
            Shape = hasUnknownRank ? new int[0] : shape.ToArray();
            HasUnknownRank = hasUnknownRank;
        }

        public string Name { get; }
        public string DataType { get; }
        public IReadOnlyList<int> Shape { get; }
        /// <summary>Not even the rank is known (a model input declared without a shape); written as `unknown`.</summary>
        public bool HasUnknownRank { get; }
        /// <summary>An output whose size depends on the data (-1 where it does, -2 alone when the rank does too);
        /// written as a trailing `data-dependent` token.</summary>
        public bool DataDependent { get; }
    }

    /// <summary>A concrete shape of one named tensor in one gear.</summary>
    public sealed class ManifestShape
    {
        public ManifestShape(string name, IReadOnlyList<int> shape)
        {
            Name = name;
            Shape = shape.ToArray();
        }

        public string Name { get; }
        public IReadOnlyList<int> Shape { get; }

        public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);
    }

    /// <summary>
    /// One gear: the values that select it (batch size; height,width; or the dims), the concrete input and output
    /// shapes, and the bytes of the activation arena the planner assigned to it.
    /// </summary>
    public sealed class ManifestGear
    {
        public ManifestGear(IReadOnlyList<int> selector, IReadOnlyList<ManifestShape> inputs,
            IReadOnlyList<ManifestShape> outputs, long arenaBytes)
        {
            Selector = selector.ToArray();
            Inputs = inputs.ToArray();
            Outputs = outputs.ToArray();
            ArenaBytes = arenaBytes;
        }

        public IReadOnlyList<int> Selector { get; }
        public IReadOnlyList<ManifestShape> Inputs { get; }
        public IReadOnlyList<ManifestShape> Outputs { get; }
        public long ArenaBytes { get; }
    }

    /// <summary>Bounds of one input for a range profile, per axis, inclusive (max -1 = unbounded).</summary>
    public sealed class ManifestRange
    {
        public ManifestRange(string inputName, IReadOnlyList<int> min, IReadOnlyList<int> max)
        {
            InputName = inputName;
            Min = min.ToArray();
            Max = max.ToArray();
        }

        public string InputName { get; }
        public IReadOnlyList<int> Min { get; }
        public IReadOnlyList<int> Max { get; }
    }

    /// <summary>
    /// What the build needs to know about a compiled .om without loading it: the signature, the gears, the memory
    /// plan, and the model's own input shapes before any option was applied (for fixes the analyzer suggests).
    /// Written by `atc --manifest=...` next to the .om, read by the source generator and the analyzers.
    /// Equality is by canonical text, so it is a cheap, reliable cache key for the incremental generator.
    /// </summary>
    public sealed class ModelManifest : IEquatable<ModelManifest>
    {
        public const int CurrentVersion = 1;

        private string? _canonical;

        public ModelManifest(string modelName, string socVersion, GearKind kind,
            IReadOnlyList<ManifestTensor> inputs, IReadOnlyList<ManifestTensor> outputs,
            IReadOnlyList<ManifestGear> gears, IReadOnlyList<ManifestRange> ranges,
            IReadOnlyList<ManifestTensor> declaredInputs, long weightBytes)
        {
            ModelName = modelName;
            SocVersion = socVersion;
            Kind = kind;
            Inputs = inputs.ToArray();
            Outputs = outputs.ToArray();
            Gears = gears.ToArray();
            Ranges = ranges.ToArray();
            DeclaredInputs = declaredInputs.ToArray();
            WeightBytes = weightBytes;
        }

        public string ModelName { get; }
        public string SocVersion { get; }
        public GearKind Kind { get; }
        /// <summary>Inputs after the shape options (-1 on the axes the gears or the range vary).</summary>
        public IReadOnlyList<ManifestTensor> Inputs { get; }
        public IReadOnlyList<ManifestTensor> Outputs { get; }
        public IReadOnlyList<ManifestGear> Gears { get; }
        public IReadOnlyList<ManifestRange> Ranges { get; }
        /// <summary>The inputs as the source model declares them, before --input_shape; empty when the compiler could
        /// not tell (the analyzer then only words fixes with what it has and does not check against the model).</summary>
        public IReadOnlyList<ManifestTensor> DeclaredInputs { get; }
        public long WeightBytes { get; }

        /// <summary>The largest arena of any gear: the activation memory a session holds.</summary>
        public long MaxArenaBytes => Gears.Count == 0 ? 0 : Gears.Max(g => g.ArenaBytes);

        public string ToText() => _canonical ??= ManifestFormat.Format(this);

        public bool Equals(ModelManifest? other) => other is not null && ToText() == other.ToText();
        public override bool Equals(object? obj) => Equals(obj as ModelManifest);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToText());
        public override string ToString() => ToText();
    }
}
