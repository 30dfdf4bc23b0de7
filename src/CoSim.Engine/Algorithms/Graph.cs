namespace CoSim.Engine.Algorithms;

/// <summary>Small graph algorithms on nodes 0..n-1.</summary>
internal static class Graph
{
    /// <summary>Strongly connected components (Tarjan, iterative), in topological order of the condensed graph.</summary>
    public static List<List<int>> StronglyConnected(int n, Func<int, IEnumerable<int>> successors)
    {
        var index = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var result = new List<List<int>>();
        var counter = 0;
        for (var root = 0; root < n; root++)
        {
            if (index[root] >= 0) continue;
            var work = new Stack<(int Node, IEnumerator<int> Next)>();
            void Visit(int v)
            {
                index[v] = low[v] = counter++;
                stack.Push(v);
                onStack[v] = true;
                work.Push((v, successors(v).GetEnumerator()));
            }
            Visit(root);
            while (work.Count > 0)
            {
                var (v, next) = work.Peek();
                if (next.MoveNext())
                {
                    var w = next.Current;
                    if (index[w] < 0) Visit(w);
                    else if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                work.Pop();
                if (work.Count > 0) low[work.Peek().Node] = Math.Min(low[work.Peek().Node], low[v]);
                if (low[v] != index[v]) continue;
                var scc = new List<int>();
                int x;
                do
                {
                    x = stack.Pop();
                    onStack[x] = false;
                    scc.Add(x);
                } while (x != v);
                result.Add(scc);
            }
        }
        result.Reverse(); // Tarjan emits sinks first
        return result;
    }

    /// <summary>A shortest cycle through <paramref name="start"/> (breadth-first), as the list of its nodes starting there.</summary>
    public static List<int> Cycle(int start, Func<int, IEnumerable<int>> successors)
    {
        var parent = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in successors(v))
            {
                if (w == start)
                {
                    var path = new List<int> { v };
                    while (path[^1] != start) path.Add(parent[path[^1]]);
                    path.Reverse();
                    return path;
                }
                if (parent.ContainsKey(w)) continue;
                parent[w] = v;
                queue.Enqueue(w);
            }
        }
        return [start];
    }
}
