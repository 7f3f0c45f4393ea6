namespace RichScoring;

/// <summary>Disjoint sets over 0..n−1 with path halving; a union hangs the larger root under the smaller.</summary>
internal sealed class UnionFind
{
    private readonly int[] _parent;

    public UnionFind(int count)
    {
        _parent = new int[count];
        for (var i = 0; i < count; i++)
        {
            _parent[i] = i;
        }
    }

    public int Find(int item)
    {
        var parent = _parent;
        while (parent[item] != item)
        {
            parent[item] = parent[parent[item]];
            item = parent[item];
        }

        return item;
    }

    public void Union(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA < rootB)
        {
            _parent[rootB] = rootA;
        }
        else if (rootB < rootA)
        {
            _parent[rootA] = rootB;
        }
    }
}
