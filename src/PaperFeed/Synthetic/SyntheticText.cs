namespace PaperFeed.Synthetic;

/// <summary>A small, fast, deterministic random source (SplitMix64): the same seed gives the same numbers on every machine and .NET version.</summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public static SplitMix64 For(int seed, long stream) =>
        new((ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)stream + 1) * 0xBF58476D1CE4E5B9UL);

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>In [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>In [min, max).</summary>
    public int Next(int min, int max) => min + (int)(NextDouble() * (max - min));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[(int)(NextDouble() * items.Count)];
}

/// <summary>Picks an index with probability proportional to its weight (binary search over the running sums).</summary>
internal sealed class WeightedPicker
{
    private readonly double[] _cumulative;

    public WeightedPicker(IEnumerable<double> weights)
    {
        var sum = 0.0;
        _cumulative = [.. weights.Select(w => sum += w)];
    }

    public int Pick(ref SplitMix64 random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, target);
        return i >= 0 ? Math.Min(i + 1, _cumulative.Length - 1) : ~i;
    }

    /// <summary>Zipf's law: the word of rank r is 1/r^s as frequent as the first (how words spread over real abstracts).</summary>
    public static WeightedPicker Zipf(int count, double exponent) =>
        new(Enumerable.Range(1, count).Select(r => 1.0 / Math.Pow(r, exponent)));
}

/// <summary>A research area: its arXiv categories (first = the usual primary), phrases the topic tagger knows, and its own nouns.</summary>
internal sealed record Theme(string Name, double Weight, string[] Categories, string[] Phrases, string[] Nouns);

/// <summary>The word lists the generator writes with. Phrases follow the default curated topics, so topic pages fill up.</summary>
internal static class SyntheticText
{
    public static readonly Theme[] Themes =
    [
        new("llm", 24, ["cs.CL", "cs.AI", "cs.LG"], ["large language model", "LLM", "language model", "instruction tuning", "in-context learning", "prompting", "scaling law", "long context", "hallucination", "foundation model"], ["tokenizer", "decoder", "pretraining corpus", "context window", "instruction"]),
        new("reasoning", 7, ["cs.CL", "cs.AI"], ["reasoning", "chain-of-thought", "test-time scaling", "mathematical reasoning", "self-consistency", "reasoning model"], ["proof", "solution trace", "verifier", "step"]),
        new("rl", 8, ["cs.LG", "cs.AI", "stat.ML"], ["reinforcement learning", "policy optimization", "reward model", "PPO", "GRPO", "offline RL", "Markov decision process", "verifiable reward"], ["policy", "reward", "trajectory", "environment", "value function"]),
        new("agents", 6, ["cs.AI", "cs.CL", "cs.MA"], ["LLM agent", "multi-agent", "tool use", "function calling", "web agent", "GUI agent", "task planning"], ["planner", "tool", "workflow", "environment"]),
        new("safety", 4, ["cs.CL", "cs.CR", "cs.AI"], ["jailbreak", "red teaming", "preference alignment", "DPO", "harmful content", "reward hacking", "prompt injection"], ["attack", "refusal", "guardrail", "preference"]),
        new("interpretability", 2, ["cs.LG", "cs.AI"], ["interpretability", "sparse autoencoder", "probing", "feature attribution", "activation steering"], ["circuit", "feature", "neuron", "attribution"]),
        new("vision", 13, ["cs.CV", "eess.IV"], ["object detection", "semantic segmentation", "vision transformer", "pose estimation", "depth estimation", "3D reconstruction", "point cloud", "Gaussian splatting", "video understanding"], ["image", "scene", "pixel", "backbone", "camera"]),
        new("diffusion", 8, ["cs.CV", "cs.LG"], ["diffusion model", "latent diffusion", "flow matching", "text-to-image", "video generation", "image editing", "diffusion transformer"], ["sampler", "noise schedule", "denoiser", "prompt"]),
        new("multimodal", 7, ["cs.CV", "cs.CL"], ["vision-language", "multimodal large language model", "visual question answering", "image captioning", "visual grounding", "CLIP"], ["image-text pair", "visual token", "caption", "projector"]),
        new("speech", 3, ["eess.AS", "cs.SD", "cs.CL"], ["speech recognition", "text-to-speech", "spoken dialogue", "audio generation", "speaker diarization"], ["waveform", "utterance", "codec", "spectrogram"]),
        new("robotics", 4, ["cs.RO", "cs.AI", "cs.CV"], ["robot learning", "robotic manipulation", "embodied AI", "vision-language-action", "imitation learning", "sim-to-real", "autonomous driving", "world model"], ["gripper", "controller", "demonstration", "trajectory"]),
        new("efficiency", 5, ["cs.LG", "cs.CL", "cs.AR"], ["quantization", "pruning", "knowledge distillation", "LoRA", "mixture of experts", "KV cache", "speculative decoding", "sparse attention"], ["kernel", "throughput", "latency", "memory"]),
        new("retrieval", 3, ["cs.IR", "cs.CL"], ["retrieval-augmented generation", "dense retrieval", "reranking", "text embedding", "semantic search"], ["query", "corpus", "passage", "index"]),
        new("recsys", 2, ["cs.IR", "cs.LG"], ["recommender system", "sequential recommendation", "collaborative filtering", "click-through rate", "user modeling"], ["user", "item", "interaction", "session"]),
        new("medicine", 3, ["eess.IV", "cs.CV", "cs.LG", "q-bio.QM"], ["medical imaging", "clinical", "radiology report", "electronic health record", "drug discovery", "histopathology"], ["patient", "scan", "cohort", "clinician"]),
        new("graphs", 3, ["cs.LG", "cs.SI"], ["graph neural network", "knowledge graph", "message passing", "link prediction", "node classification"], ["node", "edge", "subgraph", "neighbourhood"]),
        new("theory", 3, ["stat.ML", "cs.LG", "math.OC", "stat.TH"], ["generalization bound", "sample complexity", "convergence rate", "regret bound", "neural tangent kernel", "we prove"], ["estimator", "bound", "assumption", "rate"]),
        new("code", 2, ["cs.SE", "cs.CL", "cs.PL"], ["code generation", "program repair", "program synthesis", "software engineering", "text-to-SQL", "unit test generation"], ["repository", "function", "patch", "test case"]),
        new("education", 1, ["cs.CY", "cs.HC"], ["curriculum learning", "education", "intelligent tutoring system", "knowledge tracing"], ["student", "course", "learner", "teacher"]),
        new("other", 8, ["math.OC", "stat.ME", "cs.DS", "cs.DC", "cs.IT", "physics.comp-ph", "q-bio.NC", "eess.SP", "eess.SY", "cs.GT", "cs.DB", "cs.NE"], [], ["algorithm", "system", "estimator", "protocol", "signal", "solver"]),
    ];

    /// <summary>The feeds a synthetic paper is announced in: like arXiv's RSS, each of these lists its new papers and cross-lists.</summary>
    public static readonly string[] ListedCategories = ["cs.AI", "cs.CL", "cs.CV", "cs.LG"];

    // Common words of abstracts, most frequent first (function words lead, as in real text): a search for "model"
    // or "learning" matches a large share of the catalog, as it does on arXiv.
    public static readonly string[] CommonWords =
    [
        "the", "of", "and", "to", "a", "in", "we", "for", "is", "that", "with", "on", "by", "our", "this", "as", "are", "from",
        "an", "which", "can", "such", "these", "both", "while", "than", "across", "into", "over", "between",
        "model", "learning", "data", "method", "results", "performance", "approach", "models", "training", "propose",
        "task", "tasks", "network", "based", "framework", "existing", "show", "novel", "work", "problem",
        "information", "large", "paper", "demonstrate", "datasets", "methods", "neural", "new", "experiments", "state",
        "features", "deep", "different", "evaluation", "benchmark", "time", "accuracy", "representation", "multiple", "art",
        "significantly", "analysis", "generation", "efficient", "knowledge", "address", "introduce", "effective", "design", "complex",
        "outperforms", "improves", "achieves", "robust", "quality", "set", "high", "structure", "key", "training-free",
        "study", "recent", "challenges", "limited", "capabilities", "inference", "input", "output", "scale", "baseline",
        "baselines", "strategy", "module", "loss", "optimization", "objective", "distribution", "prior", "samples", "sample",
        "simple", "general", "specific", "domain", "domains", "transfer", "adaptation", "fine-tuning", "pretrained", "architecture",
        "layer", "layers", "attention", "embedding", "embeddings", "space", "latent", "signal", "noise", "error",
        "robustness", "generalization", "consistency", "diversity", "fidelity", "efficiency", "cost", "computational", "resource", "budget",
        "open-source", "code", "available", "publicly", "release", "extensive", "comprehensive", "empirical", "theoretical", "practical",
        "real-world", "synthetic", "scenario", "scenarios", "setting", "settings", "previous", "prior work", "current", "future",
        "critical", "crucial", "important", "challenging", "difficult", "limitation", "limitations", "gap", "bottleneck", "insight",
        "insights", "findings", "evidence", "observe", "reveal", "investigate", "explore", "examine", "identify", "enable",
        "enables", "allow", "allows", "leverage", "leverages", "utilize", "incorporate", "integrate", "combine", "jointly",
    ];

    public static readonly string[] Adjectives =
    [
        "Scalable", "Efficient", "Robust", "Adaptive", "Unified", "Hierarchical", "Sparse", "Contrastive", "Self-Supervised", "Generalizable",
        "Interpretable", "Lightweight", "Federated", "Causal", "Bayesian", "Dynamic", "Multi-Scale", "Training-Free", "Zero-Shot", "Few-Shot",
        "Memory-Efficient", "Reliable", "Faithful", "Controllable", "Compositional", "Structured", "Continual", "Decentralized", "Latent", "Universal",
    ];

    public static readonly string[] Nouns =
    [
        "Framework", "Benchmark", "Approach", "Analysis", "Method", "Model", "Dataset", "Study", "Perspective", "Pipeline",
        "Architecture", "Objective", "Estimator", "Algorithm", "Representation", "Evaluation", "Survey", "Protocol", "Recipe", "Toolkit",
    ];

    public static readonly string[] FirstNames =
    [
        "Wei", "Jing", "Li", "Yang", "Hao", "Xin", "Yu", "Chen", "Min", "Jun", "Anna", "Maria", "David", "Michael", "Sarah",
        "James", "Laura", "Thomas", "Elena", "Daniel", "Sophie", "Lukas", "Julia", "Marco", "Giulia", "Pierre", "Camille", "Hiroshi", "Yuki", "Kenji",
        "Priya", "Rahul", "Ananya", "Arjun", "Sneha", "Mohammed", "Fatima", "Omar", "Layla", "Ahmed", "Ivan", "Olga", "Dmitri", "Natalia", "Sergey",
        "Carlos", "Lucia", "Diego", "Sofia", "Mateo", "Ji-woo", "Min-jun", "Seo-yeon", "Hyun", "Soo", "Noah", "Emma", "Liam", "Olivia", "Ethan",
    ];

    public static readonly string[] LastNames =
    [
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu",
        "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee",
        "Kim", "Park", "Choi", "Jung", "Kang", "Tanaka", "Suzuki", "Sato", "Watanabe", "Ito", "Sharma", "Gupta", "Patel", "Singh", "Kumar",
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Ferrari", "Dubois", "Moreau", "Ivanov", "Petrov", "Nguyen", "Tran", "Silva",
        "Santos", "Oliveira", "Haddad", "Khan", "Ali", "Cohen", "Levi", "Novak", "Kowalski", "Andersson",
    ];

    public static readonly string[] Organizations = ["google", "meta-llama", "microsoft", "nvidia", "openai", "allenai", "Qwen", "deepseek-ai", "mistralai", "apple", "ByteDance", "tencent", "alibaba", "stanford", "mit", "cmu", "berkeley", "tsinghua", "eth-zurich", "oxford"];

    private static readonly string[] Syllables =
    [
        "ba", "co", "di", "fe", "ga", "hi", "jo", "ka", "lu", "me", "no", "pa", "qui", "ra", "si", "to", "vu", "xe", "yo", "ze",
        "tron", "lex", "mor", "phi", "ster", "gen", "dra", "vis", "nex", "cal", "ther", "ion", "quar", "zen", "lum", "ort", "pax", "rex", "sol", "tek",
    ];

    /// <summary>The long tail of rare words (method names, jargon): made-up but pronounceable, and always the same for an index.</summary>
    public static string RareWord(int index)
    {
        var random = SplitMix64.For(7, index);
        var parts = 2 + (int)(random.NextDouble() * 2);
        var word = string.Concat(Enumerable.Range(0, parts).Select(_ => random.Pick(Syllables)));
        return word + (index % 7 == 0 ? "ization" : index % 5 == 0 ? "ic" : "");
    }
}
