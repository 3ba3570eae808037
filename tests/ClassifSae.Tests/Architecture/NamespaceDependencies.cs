using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ClassifSae.Tests.Architecture;

/// <summary>
/// Which of our namespaces each of our namespaces uses, read from the compiled IL with Mono.Cecil: signatures, base
/// types, attributes and every type, field and method a method body touches (lambdas and iterators included, since
/// the compiler nests them in their declaring type). Namespaces are folded to their first level below
/// <c>ClassifSae</c> (<c>ClassifSae.Concepts.Sae</c> counts as <c>ClassifSae.Concepts</c>).
/// </summary>
internal static class NamespaceDependencies
{
    public const string Root = "ClassifSae";

    /// <summary>Edges (from, to) between distinct top-level namespaces, with one example type per edge for the message.</summary>
    public static Dictionary<(string From, string To), string> Edges(IEnumerable<string> assemblyPaths)
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var path in assemblyPaths)
        {
            using var module = ModuleDefinition.ReadModule(path);
            foreach (var type in module.GetTypes())
            {
                var from = TopLevel(NamespaceOf(type));
                if (from is null) continue;
                foreach (var used in UsedTypes(type))
                {
                    var to = TopLevel(NamespaceOf(used));
                    if (to is null || to == from) continue;
                    edges.TryAdd((from, to), $"{type.FullName} uses {used.FullName}");
                }
            }
        }
        return edges;
    }

    public static string? TopLevel(string ns)
    {
        if (ns == Root) return Root;
        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        var second = ns.Split('.')[1];
        return second == "Tests" ? null : $"{Root}.{second}";
    }

    private static string NamespaceOf(TypeReference type)
    {
        while (type.IsNested) type = type.DeclaringType;
        return type.Namespace;
    }

    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null: return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments) Add(a);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                case GenericParameter: return;
                default: found.Add(t); return;
            }
        }
        void AddMember(MemberReference m)
        {
            Add(m.DeclaringType);
            switch (m)
            {
                case MethodReference mr:
                    Add(mr.ReturnType);
                    foreach (var p in mr.Parameters) Add(p.ParameterType);
                    if (mr is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
                    break;
                case FieldReference fr: Add(fr.FieldType); break;
            }
        }
        void AddAttributes(ICustomAttributeProvider p)
        {
            foreach (var a in p.CustomAttributes) Add(a.AttributeType);
        }

        Add(type.BaseType);
        foreach (var i in type.Interfaces) Add(i.InterfaceType);
        AddAttributes(type);
        foreach (var f in type.Fields) { Add(f.FieldType); AddAttributes(f); }
        foreach (var p in type.Properties) { Add(p.PropertyType); AddAttributes(p); }
        foreach (var e in type.Events) Add(e.EventType);
        foreach (var m in type.Methods)
        {
            AddMember(m);
            AddAttributes(m);
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) Add(v.VariableType);
            foreach (var ins in m.Body.Instructions)
            {
                switch (ins.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MemberReference mr: AddMember(mr); break;
                }
            }
            foreach (var h in m.Body.ExceptionHandlers) Add(h.CatchType);
        }
        return found;
    }

    /// <summary>Strongly connected components of more than one namespace (each one is a cycle).</summary>
    public static List<List<string>> Cycles(IEnumerable<(string From, string To)> edges)
    {
        var graph = new Dictionary<string, List<string>>();
        foreach (var (f, t) in edges)
        {
            if (!graph.TryGetValue(f, out var list)) graph[f] = list = [];
            list.Add(t);
            graph.TryAdd(t, []);
        }
        // Tarjan's algorithm.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        var next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph[v])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) result.Add(component.OrderBy(s => s, StringComparer.Ordinal).ToList());
        }
        foreach (var v in graph.Keys.OrderBy(s => s, StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return result;
    }
}
