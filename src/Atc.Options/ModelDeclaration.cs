using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options
{
    /// <summary>One model input as the shape rules see it: its name, declared shape and element type.</summary>
    public sealed class ModelInput
    {
        /// <param name="name">The name users write in --input_shape (TensorFlow: the placeholder node name).</param>
        /// <param name="dims">Declared axes, -1 where unknown; null when even the rank is unknown.</param>
        /// <param name="dataType">Element type name ("float32", ...), for messages and generated code.</param>
        /// <param name="tensorName">The graph's tensor name when it differs from <paramref name="name"/> (TensorFlow "x:0").</param>
        public ModelInput(string name, long[]? dims, string dataType = "float32", string? tensorName = null)
        {
            Name = name;
            Dims = dims;
            DataType = dataType;
            TensorName = tensorName ?? name;
        }

        public string Name { get; }
        public long[]? Dims { get; }
        public string DataType { get; }
        public string TensorName { get; }

        public bool HasUnknownRank => Dims is null;
        public bool IsFullyKnown => Dims != null && Dims.All(d => d >= 0);

        public override string ToString() => Name + ShapeText.Declared(Dims);
    }

    /// <summary>
    /// What the model-dependent option rules need to know about a model: its inputs in order, and the names of its
    /// other nodes with their output counts (for --out_nodes and for telling a node from an input). A plain class so
    /// that the analyzers can build one from a manifest.
    /// </summary>
    public sealed class ModelDeclaration
    {
        public ModelDeclaration(IEnumerable<ModelInput> inputs, IReadOnlyDictionary<string, int>? nodeOutputCounts = null)
        {
            Inputs = inputs.ToList();
            NodeOutputCounts = nodeOutputCounts ?? new Dictionary<string, int>();
        }

        public IReadOnlyList<ModelInput> Inputs { get; }
        /// <summary>Every node name of the graph (inputs included or not) and its number of outputs.</summary>
        public IReadOnlyDictionary<string, int> NodeOutputCounts { get; }

        /// <summary>The index of the input called <paramref name="name"/> (its name or tensor name), or -1.</summary>
        public int FindInput(string name)
        {
            for (int i = 0; i < Inputs.Count; i++)
                if (Inputs[i].Name == name) return i;
            for (int i = 0; i < Inputs.Count; i++)
                if (Inputs[i].TensorName == name) return i;
            return -1;
        }

        public bool IsNode(string name) => NodeOutputCounts.ContainsKey(name);

        /// <summary>"[Inputs], [mask]" for messages.</summary>
        public string InputNamesText => string.Join(", ", Inputs.Select(i => "[" + i.Name + "]"));
    }
}
