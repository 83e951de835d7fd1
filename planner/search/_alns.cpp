// The planner's native search core: adaptive large neighbourhood search (ALNS)
// for the dial-a-ride problem, in the style of Ropke & Pisinger (2006) with the
// exact route scheduling of a DARP (time windows, maximum ride times, route
// durations).
//
// The Python side (planner/search/native.py) packs the problem into one int64
// buffer and reads the result back; see there for the layout. Nothing here
// knows about JSON, ids or units.
//
// Feasibility of one route is exact: the start-of-service times form a simple
// temporal network (travel and windows push forward, ride-time and duration
// limits pull pickups and the departure later). The earliest schedule is its
// least fixed point, found by forward passes (at most one per ride-time
// constraint plus two; positive cycles, i.e. a ride or route that is too long
// even without waiting, are caught up front). Insertion candidates are first
// screened in constant time per position with the earliest and latest
// schedules of the current route (forward/backward time slack), capacity and
// minimal ride time; only the survivors, cheapest first, get the exact check.
// With a distance objective the first feasible one is the best.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

namespace {

using i64 = int64_t;
constexpr i64 INF = (i64)1 << 58;
constexpr i64 NO_TIME = -((i64)1 << 58);

// Control block shared with Python (int64 slots, read and written atomically).
enum Control { C_STOP = 0, C_ITERATIONS = 1, C_BEST_UNSERVED = 2, C_BEST_COST = 3, C_SIZE = 8 };

inline i64 aload(i64* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
inline void astore(i64* p, i64 v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

struct Instance {
    int nl = 0, nr = 0, nv = 0, K = 0;
    std::vector<i64> dur, dist;
    // per node: 2r is the pickup of request r, 2r+1 its drop-off
    std::vector<int> loc;
    std::vector<i64> e, l, s, q;  // q: node * K
    // per request
    std::vector<i64> maxride;  // INF when unlimited
    std::vector<int> bundle, prev_vehicle;
    std::vector<i64> prev_time;
    std::vector<char> allowed;  // request * nv
    // per vehicle
    std::vector<int> sloc, eloc;
    std::vector<i64> va, vb, vT, fixed, cap;  // cap: vehicle * K
    // units: a bundle, or a request on its own
    std::vector<std::vector<int>> units;
    std::vector<int> unit_of;
    i64 w_dist = 1, w_dur = 0, w_ride = 0, w_stab = 0, v_change = 0;
    i64 stab_tol = 0, stab_lim = 0;  // a shift beyond these costs 10x, then 100x as much

    i64 shift_cost(i64 shift) const {
        shift = shift < 0 ? -shift : shift;
        i64 c = shift + 9 * std::max<i64>(0, shift - stab_tol) + 90 * std::max<i64>(0, shift - stab_lim);
        return w_stab * c;
    }
    bool sched_cost = false;  // the objective depends on the times, not only on the order
    // search settings
    i64 seed = 0, workers = 1, max_iters = -1, time_ms = -1;
    i64 min_remove = 2, max_remove = 40, remove_pct = 30, temp_permille = 30, cooling_ppm = 999500;
    double dist_norm = 1, time_norm = 1;
    std::vector<std::vector<int>> initial;  // per vehicle, node sequence

    i64 t(int a, int b) const { return dur[(size_t)a * nl + b]; }
    i64 d(int a, int b) const { return dist[(size_t)a * nl + b]; }
};

// ---------------------------------------------------------------------------
// One route and its schedule.

struct Route {
    std::vector<int> seq;  // nodes, depots excluded
    std::vector<i64> es, ls;  // earliest / latest start of service per position (0 and n+1 are the depots)
    std::vector<i64> load;    // load after position, (n+2) * K
    std::vector<i64> pre;     // pre[i]: service + travel from position 0 to position i, without waiting
    i64 dist = 0, cost = 0;
    i64 est = 0;  // stability estimate from the earliest schedule (see stability_estimate)
    bool feasible = true;
};

// Scratch space for one thread.
struct Scratch {
    std::vector<int> pos_of;  // node -> position in the route being scheduled
    std::vector<i64> gap, lo, hi, B, B2;
    std::vector<int> locs;
    std::vector<std::pair<int, int>> pairs;  // (pickup position, drop-off position)
    std::vector<i64> pairlim;                // service at the pickup + max ride
    std::vector<int> seq;
    explicit Scratch(const Instance& I) : pos_of(2 * I.nr, -1) {}
};

// Fill positions' locations, windows, gaps and ride pairs for a sequence. Returns
// false when a ride or the route is too long even without any waiting.
bool setup(const Instance& I, int k, const int* seq, int n, Scratch& S) {
    S.locs.resize(n + 2);
    S.lo.resize(n + 2);
    S.hi.resize(n + 2);
    S.gap.resize(n + 2);
    S.B.resize(n + 2);
    S.locs[0] = I.sloc[k];
    S.lo[0] = I.va[k];
    S.hi[0] = I.vb[k];
    for (int i = 0; i < n; ++i) {
        int v = seq[i];
        S.locs[i + 1] = I.loc[v];
        S.lo[i + 1] = I.e[v];
        S.hi[i + 1] = I.l[v];
    }
    S.locs[n + 1] = I.eloc[k];
    S.lo[n + 1] = I.va[k];
    S.hi[n + 1] = I.vb[k];
    i64 total = 0;
    for (int i = 0; i <= n; ++i) {
        i64 service = (i == 0) ? 0 : I.s[seq[i - 1]];
        S.gap[i] = service + I.t(S.locs[i], S.locs[i + 1]);
        total += S.gap[i];
    }
    if (total > I.vT[k]) return false;
    S.pairs.clear();
    S.pairlim.clear();
    for (int i = 0; i < n; ++i) {
        int v = seq[i];
        if ((v & 1) == 0) {
            S.pos_of[v] = i + 1;
        } else {
            int p = S.pos_of[v - 1];
            int r = v >> 1;
            if (I.maxride[r] < INF) {
                S.pairs.emplace_back(p, i + 1);
                S.pairlim.push_back(I.s[v - 1] + I.maxride[r]);
            }
        }
    }
    // A ride longer than the limit even without waiting is a positive cycle.
    if (!S.pairs.empty()) {
        // prefix sums of gaps
        S.B2.resize(n + 2);
        S.B2[0] = 0;
        for (int i = 1; i <= n + 1; ++i) S.B2[i] = S.B2[i - 1] + S.gap[i - 1];
        for (size_t m = 0; m < S.pairs.size(); ++m)
            if (S.B2[S.pairs[m].second] - S.B2[S.pairs[m].first] > S.pairlim[m]) return false;
    }
    return true;
}

// Earliest schedule into B under windows lo/hi; false if infeasible.
bool earliest(const Instance& I, int k, int n, Scratch& S, std::vector<i64>& B) {
    B.resize(n + 2);
    B[0] = S.lo[0];
    for (int i = 1; i <= n + 1; ++i) {
        B[i] = std::max(S.lo[i], B[i - 1] + S.gap[i - 1]);
        if (B[i] > S.hi[i]) return false;
    }
    const i64 T = I.vT[k];
    int rounds = (int)S.pairs.size() + 3;
    while (rounds-- > 0) {
        int from = n + 2;
        for (size_t m = 0; m < S.pairs.size(); ++m) {
            int p = S.pairs[m].first, d = S.pairs[m].second;
            i64 need = B[d] - S.pairlim[m];
            if (need > B[p]) {
                if (need > S.hi[p]) return false;
                B[p] = need;
                from = std::min(from, p);
            }
        }
        if (T < INF) {
            i64 need = B[n + 1] - T;
            if (need > B[0]) {
                if (need > S.hi[0]) return false;
                B[0] = need;
                from = 0;
            }
        }
        if (from == n + 2) return true;
        for (int i = from + 1; i <= n + 1; ++i) {
            i64 v = B[i - 1] + S.gap[i - 1];
            if (v > B[i]) {
                if (v > S.hi[i]) return false;
                B[i] = v;
            }
        }
    }
    return false;
}

// Latest schedule into B under windows lo/hi (assumes a feasible network).
bool latest(const Instance& I, int k, int n, Scratch& S, std::vector<i64>& B) {
    B.resize(n + 2);
    B[n + 1] = S.hi[n + 1];
    for (int i = n; i >= 0; --i) {
        B[i] = std::min(S.hi[i], B[i + 1] - S.gap[i]);
        if (B[i] < S.lo[i]) return false;
    }
    const i64 T = I.vT[k];
    int rounds = (int)S.pairs.size() + 3;
    while (rounds-- > 0) {
        int from = -1;
        for (size_t m = 0; m < S.pairs.size(); ++m) {
            int p = S.pairs[m].first, d = S.pairs[m].second;
            i64 cap = B[p] + S.pairlim[m];
            if (B[d] > cap) {
                if (cap < S.lo[d]) return false;
                B[d] = cap;
                from = std::max(from, d);
            }
        }
        if (T < INF) {
            i64 cap = B[0] + T;
            if (B[n + 1] > cap) {
                if (cap < S.lo[n + 1]) return false;
                B[n + 1] = cap;
                from = n + 1;
            }
        }
        if (from < 0) return true;
        for (int i = from - 1; i >= 0; --i) {
            i64 v = B[i + 1] - S.gap[i];
            if (v < B[i]) {
                if (v < S.lo[i]) return false;
                B[i] = v;
            }
        }
    }
    return false;
}

// The schedule that is published: the route ends as early as it can and leaves
// as late as that allows; in driving order each stop is then fixed, a pickup
// as late as possible (short rides), a drop-off as early as possible. Each
// stop is fixed between its earliest and latest time given the stops fixed
// before it, so the result is always feasible.
//
// When re-planning, pickups that have a previous time are fixed as close to it
// as they can be, every other stop at its time in the schedule above, and the
// departure last (as late as the fixed stops allow): so a stop keeps its time
// whenever the route still allows it. Requires setup() on the sequence.
bool fix_in_order(const Instance& I, int k, const int* seq, int n, Scratch& S, std::vector<i64>& out,
                  const std::vector<i64>* ref) {
    std::vector<i64> es, ls;
    auto fix = [&](int i, i64 v) { S.lo[i] = S.hi[i] = v; };
    for (int i = (ref ? 1 : 0); i <= n + 1; ++i) {
        if (!earliest(I, k, n, S, es) || !latest(I, k, n, S, ls)) return false;
        i64 v;
        if (i == 0) {
            v = ls[0];
        } else if (i == n + 1) {
            v = es[i];
        } else {
            int node = seq[i - 1];
            i64 target = (node & 1) ? NO_TIME : I.prev_time[node >> 1];
            if (ref != nullptr)
                v = std::min(std::max(target != NO_TIME ? target : (*ref)[i], es[i]), ls[i]);
            else
                v = (node & 1) ? es[i] : ls[i];
        }
        fix(i, v);
    }
    if (ref != nullptr) {
        if (!latest(I, k, n, S, ls)) return false;
        fix(0, ls[0]);
    }
    out.assign(S.lo.begin(), S.lo.end());
    return true;
}

bool objective_schedule(const Instance& I, int k, const int* seq, int n, Scratch& S,
                        std::vector<i64>& out) {
    std::vector<i64> es;
    if (!earliest(I, k, n, S, es)) return false;
    S.hi[n + 1] = std::min(S.hi[n + 1], es[n + 1]);
    if (!fix_in_order(I, k, seq, n, S, out, nullptr)) return false;
    bool targets = false;
    if (I.w_stab > 0)
        for (int i = 0; i < n && !targets; ++i) targets = !(seq[i] & 1) && I.prev_time[seq[i] >> 1] != NO_TIME;
    if (!targets) return true;
    std::vector<i64> ref = out;
    setup(I, k, seq, n, S);
    return fix_in_order(I, k, seq, n, S, out, &ref);
}

i64 schedule_cost(const Instance& I, const int* seq, int n, const std::vector<i64>& B) {
    i64 c = I.w_dur * (B[n + 1] - B[0]);
    if (I.w_ride > 0 || I.w_stab > 0) {
        for (int i = 0; i < n; ++i) {
            int v = seq[i];
            if (v & 1) {
                continue;
            }
            int r = v >> 1;
            if (I.w_stab > 0 && I.prev_time[r] != NO_TIME) c += I.shift_cost(B[i + 1] - I.prev_time[r]);
        }
        if (I.w_ride > 0) {
            // ride = drop-off start - (pickup start + pickup service)
            for (int i = 0; i < n; ++i) {
                int v = seq[i];
                if (!(v & 1)) continue;
                for (int j = i - 1; j >= 0; --j)
                    if (seq[j] == v - 1) {
                        c += I.w_ride * (B[i + 1] - B[j + 1] - I.s[v - 1]);
                        break;
                    }
            }
        }
    }
    return c;
}

// A quick lower estimate of a route's stability cost, for choosing among
// insertion positions: a pickup can only start between its earliest and its
// latest time on the route, so it moves at least as far as its previous time
// lies outside that range. The plan's cost itself is always the exact one
// (evaluate()).
i64 stability_estimate(const Instance& I, const int* seq, int n, const std::vector<i64>& es,
                       const std::vector<i64>& ls) {
    i64 c = 0;
    for (int i = 0; i < n; ++i) {
        int v = seq[i];
        if (v & 1) continue;
        i64 target = I.prev_time[v >> 1];
        if (target == NO_TIME) continue;
        if (es[i + 1] > target) c += I.shift_cost(es[i + 1] - target);
        else if (ls[i + 1] < target) c += I.shift_cost(target - ls[i + 1]);
    }
    return c;
}

// Order-dependent cost of a route: distance, fixed cost, vehicle changes.
i64 static_cost(const Instance& I, int k, const int* seq, int n, i64 dist) {
    if (n == 0) return 0;
    i64 c = I.w_dist * dist + I.fixed[k];
    if (I.v_change > 0)
        for (int i = 0; i < n; ++i) {
            int v = seq[i];
            if (v & 1) continue;
            int pv = I.prev_vehicle[v >> 1];
            if (pv >= 0 && pv != k) c += I.v_change;
        }
    return c;
}

i64 route_distance(const Instance& I, int k, const int* seq, int n) {
    if (n == 0) return 0;
    i64 total = 0;
    int here = I.sloc[k];
    for (int i = 0; i < n; ++i) {
        int to = I.loc[seq[i]];
        total += I.d(here, to);
        here = to;
    }
    return total + I.d(here, I.eloc[k]);
}

bool capacity_ok(const Instance& I, int k, const int* seq, int n) {
    if (I.K == 0) return true;
    std::vector<i64> load(I.K, 0);
    for (int i = 0; i < n; ++i) {
        int v = seq[i];
        for (int c = 0; c < I.K; ++c) {
            load[c] += I.q[(size_t)v * I.K + c];
            if (load[c] > I.cap[(size_t)k * I.K + c]) return false;
        }
    }
    return true;
}

// Full evaluation of a route into its cache. Returns feasibility.
bool evaluate(const Instance& I, int k, Route& R, Scratch& S) {
    const int n = (int)R.seq.size();
    R.feasible = false;
    if (n == 0) {
        R.es.assign(2, I.va[k]);
        R.ls.assign(2, I.vb[k]);
        R.es[1] = I.va[k] + I.t(I.sloc[k], I.eloc[k]);
        R.ls[0] = I.vb[k] - I.t(I.sloc[k], I.eloc[k]);
        R.load.assign(2 * (size_t)I.K, 0);
        R.pre.assign(2, 0);
        R.pre[1] = I.t(I.sloc[k], I.eloc[k]);
        R.dist = 0;
        R.cost = 0;
        R.feasible = true;
        return true;
    }
    if (!capacity_ok(I, k, R.seq.data(), n)) return false;
    if (!setup(I, k, R.seq.data(), n, S)) return false;
    if (!earliest(I, k, n, S, R.es)) return false;
    if (!latest(I, k, n, S, R.ls)) return false;
    R.pre.resize(n + 2);
    R.pre[0] = 0;
    for (int i = 1; i <= n + 1; ++i) R.pre[i] = R.pre[i - 1] + S.gap[i - 1];
    R.load.assign((size_t)(n + 2) * I.K, 0);
    for (int i = 1; i <= n; ++i)
        for (int c = 0; c < I.K; ++c)
            R.load[(size_t)i * I.K + c] = R.load[(size_t)(i - 1) * I.K + c] + I.q[(size_t)R.seq[i - 1] * I.K + c];
    R.dist = route_distance(I, k, R.seq.data(), n);
    R.cost = static_cost(I, k, R.seq.data(), n, R.dist);
    if (I.w_stab > 0) R.est = stability_estimate(I, R.seq.data(), n, R.es, R.ls);
    if (I.sched_cost) {
        std::vector<i64> B;
        if (!objective_schedule(I, k, R.seq.data(), n, S, B)) return false;
        R.cost += schedule_cost(I, R.seq.data(), n, B);
    }
    R.feasible = true;
    return true;
}

// Exact feasibility and (if the objective needs times) cost of a sequence.
bool exact(const Instance& I, int k, const std::vector<int>& seq, Scratch& S, i64* sched_cost) {
    const int n = (int)seq.size();
    if (!setup(I, k, seq.data(), n, S)) return false;
    std::vector<i64>& B = S.B;
    if (!earliest(I, k, n, S, B)) return false;
    if (sched_cost != nullptr) {
        std::vector<i64> out;
        if (!objective_schedule(I, k, seq.data(), n, S, out)) return false;
        *sched_cost = schedule_cost(I, seq.data(), n, out);
    }
    return true;
}

// ---------------------------------------------------------------------------
// Insertion of one request into one route.

struct Insertion {
    i64 cost = INF;  // change in the plan's cost
    int i = -1, j = -1;  // insert the pickup before old position i, the drop-off before old position j (j == i: right after the pickup)
};

struct Cand {
    i64 cost;
    int i, j;
    bool operator<(const Cand& o) const { return cost < o.cost || (cost == o.cost && (i < o.i || (i == o.i && j < o.j))); }
};

void build_seq(const Route& R, int r, int i, int j, std::vector<int>& out) {
    const int n = (int)R.seq.size();
    out.clear();
    out.reserve(n + 2);
    for (int pos = 1; pos <= n + 1; ++pos) {
        if (pos == i) {
            out.push_back(2 * r);
            if (j == i) out.push_back(2 * r + 1);
        }
        if (pos == j && j != i) out.push_back(2 * r + 1);
        if (pos <= n) out.push_back(R.seq[pos - 1]);
    }
}

Insertion best_insertion(const Instance& I, int k, const Route& R, int r, Scratch& S,
                         std::vector<Cand>& cands) {
    Insertion best;
    if (!I.allowed[(size_t)r * I.nv + k]) return best;
    const int n = (int)R.seq.size();
    const int p = 2 * r, dn = 2 * r + 1;
    const int lp = I.loc[p], ld = I.loc[dn];
    const i64 sp = I.s[p], sd = I.s[dn];
    const i64 L = I.maxride[r];
    const int K = I.K;
    const i64* qr = &I.q[(size_t)p * K];
    const i64* cap = &I.cap[(size_t)k * K];
    auto loc_at = [&](int pos) { return pos == 0 ? I.sloc[k] : (pos == n + 1 ? I.eloc[k] : I.loc[R.seq[pos - 1]]); };
    auto serv_at = [&](int pos) { return (pos == 0 || pos == n + 1) ? (i64)0 : I.s[R.seq[pos - 1]]; };
    auto load_ok = [&](int pos) {
        for (int c = 0; c < K; ++c)
            if (R.load[(size_t)pos * K + c] + qr[c] > cap[c]) return false;
        return true;
    };
    i64 base = 0;
    if (n == 0) base += I.fixed[k];
    if (I.prev_vehicle[r] >= 0 && I.prev_vehicle[r] != k) base += I.v_change;
    const i64 direct_t = I.t(lp, ld);
    cands.clear();
    for (int i = 1; i <= n + 1; ++i) {
        const int a = i - 1;
        const int la = loc_at(a), lb = loc_at(i);
        if (R.es[a] > I.l[p]) break;
        const i64 arr_p = R.es[a] + serv_at(a) + I.t(la, lp);
        const i64 bp = std::max(I.e[p], arr_p);
        if (bp > I.l[p]) continue;
        if (!load_ok(a)) continue;
        const i64 dab = I.d(la, lb);
        // drop-off right after the pickup
        {
            const i64 bd = std::max(I.e[dn], bp + sp + direct_t);
            if (bd <= I.l[dn] && bd + sd + I.t(ld, lb) <= R.ls[i] && direct_t <= L) {
                i64 c = base + I.w_dist * (I.d(la, lp) + I.d(lp, ld) + I.d(ld, lb) - dab);
                cands.push_back({c, i, i});
            }
        }
        if (i == n + 1) continue;
        const i64 to_b = I.t(lp, lb);
        if (bp + sp + to_b > R.ls[i]) continue;
        const i64 dp = I.d(la, lp) + I.d(lp, lb) - dab;
        for (int j = i + 1; j <= n + 1; ++j) {
            const int c_ = j - 1;
            if (!load_ok(c_)) break;
            // minimal ride: p -> old i .. old j-1 -> d
            const i64 ride_to_c = to_b + (R.pre[c_] - R.pre[i]);
            if (ride_to_c > L) break;
            const int lc = loc_at(c_), lf = loc_at(j);
            if (ride_to_c + serv_at(c_) + I.t(lc, ld) > L) continue;
            if (R.es[c_] > I.l[dn]) break;
            const i64 bd = std::max(I.e[dn], R.es[c_] + serv_at(c_) + I.t(lc, ld));
            if (bd > I.l[dn]) continue;
            if (bd + sd + I.t(ld, lf) > R.ls[j]) continue;
            i64 c = base + I.w_dist * (dp + I.d(lc, ld) + I.d(ld, lf) - I.d(lc, lf));
            cands.push_back({c, i, j});
        }
    }
    if (cands.empty()) return best;
    // Cheapest first: a heap, as the first candidates are usually feasible.
    auto later = [](const Cand& a, const Cand& b) { return b < a; };
    std::make_heap(cands.begin(), cands.end(), later);
    int checked_feasible = 0;
    // Times matter for the cost: with duration or ride-time weights the few
    // cheapest feasible positions are scheduled exactly; with stability alone
    // they are compared by the estimate (the route's exact cost follows when
    // the insertion is made).
    const bool exact_times = I.w_dur > 0 || I.w_ride > 0;
    const i64 old_sched = exact_times ? R.cost - static_cost(I, k, R.seq.data(), n, R.dist) : 0;
    const int tries = exact_times ? 3 : 8;
    while (!cands.empty()) {
        std::pop_heap(cands.begin(), cands.end(), later);
        const Cand c = cands.back();
        cands.pop_back();
        if (best.cost < INF) {
            if (!I.sched_cost) break;  // distance only: the first feasible is the best
            if (!exact_times && c.cost >= best.cost) break;  // the estimate only adds
        }
        build_seq(R, r, c.i, c.j, S.seq);
        i64 sc = 0;
        if (!exact(I, k, S.seq, S, exact_times ? &sc : nullptr)) continue;
        i64 total = c.cost;
        if (exact_times) total += sc - old_sched;  // the exact change of the times' cost
        else if (I.w_stab > 0) {
            if (!latest(I, k, (int)S.seq.size(), S, S.B2)) continue;
            total += stability_estimate(I, S.seq.data(), (int)S.seq.size(), S.B, S.B2) - R.est;
        }
        if (total < best.cost) {
            best.cost = total;
            best.i = c.i;
            best.j = c.j;
        }
        if (++checked_feasible >= tries) break;
    }
    return best;
}

void apply_insertion(const Instance& I, int k, Route& R, int r, int i, int j, Scratch& S) {
    build_seq(R, r, i, j, S.seq);
    R.seq = S.seq;
    evaluate(I, k, R, S);
}

// ---------------------------------------------------------------------------
// Solutions.

struct Solution {
    std::vector<Route> routes;
    std::vector<int> route_of;  // request -> vehicle, -1 unserved
    i64 unserved = 0;
    i64 cost = 0;

    void total() {
        cost = 0;
        for (const Route& R : routes) cost += R.cost;
    }
    bool better(const Solution& o) const { return unserved < o.unserved || (unserved == o.unserved && cost < o.cost); }
};

struct Worker {
    const Instance& I;
    std::mt19937_64 rng;
    Scratch S;
    std::vector<Cand> cands;
    i64 iterations = 0;

    Worker(const Instance& inst, uint64_t seed) : I(inst), rng(seed), S(inst) {}

    double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
    int randint(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

    void count_unserved(Solution& sol) {
        sol.unserved = 0;
        for (int r = 0; r < I.nr; ++r) sol.unserved += sol.route_of[r] < 0;
        sol.total();
    }

    // Remove a whole unit from its routes; false (and nothing changed) if a
    // shortened route would break a rule (only with a matrix that breaks the
    // triangle inequality).
    bool remove_unit(Solution& sol, int u) {
        std::vector<int> touched;
        for (int r : I.units[u])
            if (sol.route_of[r] >= 0 && std::find(touched.begin(), touched.end(), sol.route_of[r]) == touched.end())
                touched.push_back(sol.route_of[r]);
        if (touched.empty()) return true;
        std::vector<Route> saved;
        for (int k : touched) saved.push_back(sol.routes[k]);
        bool ok = true;
        for (int k : touched) {
            Route& R = sol.routes[k];
            std::vector<int> keep;
            keep.reserve(R.seq.size());
            for (int v : R.seq)
                if (I.unit_of[v >> 1] != u) keep.push_back(v);
            R.seq.swap(keep);
            if (!evaluate(I, k, R, S)) ok = false;
        }
        if (!ok) {
            for (size_t m = 0; m < touched.size(); ++m) sol.routes[touched[m]] = saved[m];
            return false;
        }
        for (int r : I.units[u]) sol.route_of[r] = -1;
        return true;
    }

    // --- repair ------------------------------------------------------------
    // Insert the pending units; `regret` 0 = greedy (cheapest first), 2 or 3 =
    // regret-k, -1 = one at a time in random order.
    void repair(Solution& sol, std::vector<int> pending, int regret, bool noise) {
        if (pending.empty()) return;
        if (regret < 0) {
            std::shuffle(pending.begin(), pending.end(), rng);
            for (int u : pending) insert_unit_now(sol, u, noise);
            count_unserved(sol);
            return;
        }
        // Members of all pending units; cache of best insertion per member and route.
        std::vector<int> members;
        for (int u : pending)
            for (int r : I.units[u]) members.push_back(r);
        const int M = (int)members.size();
        std::vector<int> slot(I.nr, -1);
        for (int m = 0; m < M; ++m) slot[members[m]] = m;
        std::vector<Insertion> cache((size_t)M * I.nv);
        auto refresh = [&](int k) {
            for (int m = 0; m < M; ++m)
                if (slot[members[m]] >= 0) cache[(size_t)m * I.nv + k] = best_insertion(I, k, sol.routes[k], members[m], S, cands);
        };
        for (int k = 0; k < I.nv; ++k) refresh(k);
        std::vector<char> open(pending.size(), 1);
        int left = (int)pending.size();
        std::vector<i64> costs;
        while (left > 0) {
            int pick = -1;
            double pick_key = 0;
            for (size_t x = 0; x < pending.size(); ++x) {
                if (!open[x]) continue;
                double total = 0, reg = 0;
                bool ok = true;
                for (int r : I.units[pending[x]]) {
                    int m = slot[r];
                    costs.clear();
                    for (int k = 0; k < I.nv; ++k) {
                        i64 c = cache[(size_t)m * I.nv + k].cost;
                        if (c < INF) costs.push_back(c);
                    }
                    if (costs.empty()) {
                        ok = false;
                        break;
                    }
                    int h = std::min<int>(std::max(regret, 1), (int)costs.size());
                    std::partial_sort(costs.begin(), costs.begin() + h, costs.end());
                    total += (double)costs[0];
                    if (regret >= 2) {
                        for (int z = 1; z < regret; ++z) {
                            double cz = z < (int)costs.size() ? (double)costs[z] : (double)costs[0] + 1e12;
                            reg += cz - (double)costs[0];
                        }
                    }
                }
                if (!ok) {
                    open[x] = 0;
                    --left;
                    for (int r : I.units[pending[x]]) slot[r] = -1;
                    continue;
                }
                if (noise) total *= 1.0 + 0.1 * (uniform() - 0.5);
                double key = regret >= 2 ? reg * 1e3 - total : -total;
                if (pick < 0 || key > pick_key) {
                    pick = (int)x;
                    pick_key = key;
                }
            }
            if (pick < 0) break;
            open[pick] = 0;
            --left;
            const int u = pending[pick];
            // Insert the members one after the other, each at its best place now.
            std::vector<int> touched;
            std::vector<Route> saved;
            bool ok = true;
            for (int r : I.units[u]) {
                int m = slot[r];
                int bk = -1;
                Insertion bi;
                for (int k = 0; k < I.nv; ++k) {
                    const Insertion& c = cache[(size_t)m * I.nv + k];
                    if (c.cost < bi.cost) {
                        bi = c;
                        bk = k;
                    }
                }
                slot[r] = -1;
                if (bk < 0) {
                    ok = false;
                    break;
                }
                if (std::find(touched.begin(), touched.end(), bk) == touched.end()) {
                    touched.push_back(bk);
                    saved.push_back(sol.routes[bk]);
                }
                apply_insertion(I, bk, sol.routes[bk], r, bi.i, bi.j, S);
                sol.route_of[r] = bk;
                refresh(bk);
            }
            if (!ok) {
                for (size_t z = 0; z < touched.size(); ++z) sol.routes[touched[z]] = saved[z];
                for (int r : I.units[u]) sol.route_of[r] = -1;
                for (int k : touched) refresh(k);
            }
        }
        count_unserved(sol);
    }

    // Insert one unit at the cheapest places now (members in turn); all or none.
    bool insert_unit_now(Solution& sol, int u, bool noise) {
        std::vector<int> touched;
        std::vector<Route> saved;
        for (int r : I.units[u]) {
            int bk = -1;
            Insertion bi;
            double bkey = 0;
            for (int k = 0; k < I.nv; ++k) {
                Insertion c = best_insertion(I, k, sol.routes[k], r, S, cands);
                if (c.cost >= INF) continue;
                double key = (double)c.cost * (noise ? 1.0 + 0.1 * (uniform() - 0.5) : 1.0);
                if (bk < 0 || key < bkey) {
                    bk = k;
                    bi = c;
                    bkey = key;
                }
            }
            if (bk < 0) {
                for (size_t z = 0; z < touched.size(); ++z) sol.routes[touched[z]] = saved[z];
                for (int r2 : I.units[u]) sol.route_of[r2] = -1;
                return false;
            }
            if (std::find(touched.begin(), touched.end(), bk) == touched.end()) {
                touched.push_back(bk);
                saved.push_back(sol.routes[bk]);
            }
            apply_insertion(I, bk, sol.routes[bk], r, bi.i, bi.j, S);
            sol.route_of[r] = bk;
        }
        return true;
    }

    // --- destroy -----------------------------------------------------------
    std::vector<int> served_units(const Solution& sol) {
        std::vector<int> out;
        for (size_t u = 0; u < I.units.size(); ++u)
            if (sol.route_of[I.units[u][0]] >= 0) out.push_back((int)u);
        return out;
    }

    i64 pickup_time(const Solution& sol, int r) {
        int k = sol.route_of[r];
        if (k < 0) return (I.e[2 * r] + std::min(I.l[2 * r], I.e[2 * r] + 7200)) / 2;
        const Route& R = sol.routes[k];
        for (size_t i = 0; i < R.seq.size(); ++i)
            if (R.seq[i] == 2 * r) return R.es[i + 1];
        return 0;
    }

    double relatedness(const Solution& sol, int a, int b, const std::vector<i64>& times) {
        (void)sol;
        double dd = (double)(I.d(I.loc[2 * a], I.loc[2 * b]) + I.d(I.loc[2 * a + 1], I.loc[2 * b + 1])) / I.dist_norm;
        double tt = (double)std::llabs(times[a] - times[b]) / I.time_norm;
        return 9.0 * dd + 3.0 * tt;
    }

    std::vector<int> destroy(Solution& sol, int op, int q) {
        std::vector<int> units = served_units(sol);
        std::vector<int> chosen;
        if (units.empty()) return chosen;
        q = std::min<int>(q, (int)units.size());
        if (op == 0) {  // random
            std::shuffle(units.begin(), units.end(), rng);
            chosen.assign(units.begin(), units.begin() + q);
        } else if (op == 1) {  // worst: the units whose removal saves the most distance
            std::vector<std::pair<double, int>> saving;
            for (int u : units) {
                double s = 0;
                for (int r : I.units[u]) s += (double)removal_saving(sol, r);
                saving.push_back({-s, u});
            }
            std::sort(saving.begin(), saving.end());
            std::vector<char> taken(saving.size(), 0);
            for (int z = 0; z < q; ++z) {
                int idx = (int)(std::pow(uniform(), 3.0) * (double)(saving.size()));
                while (taken[idx]) idx = (idx + 1) % (int)saving.size();
                taken[idx] = 1;
                chosen.push_back(saving[idx].second);
            }
        } else if (op == 2 || op == 4) {  // related (Shaw) by place and time, or by time only
            std::vector<i64> times(I.nr, 0);
            for (int r = 0; r < I.nr; ++r) times[r] = sol.route_of[r] >= 0 ? pickup_time(sol, r) : 0;
            std::vector<char> in(I.units.size(), 0);
            int seed_u = units[randint(0, (int)units.size() - 1)];
            chosen.push_back(seed_u);
            in[seed_u] = 1;
            std::vector<std::pair<double, int>> rel;
            while ((int)chosen.size() < q) {
                int ref_u = chosen[randint(0, (int)chosen.size() - 1)];
                int a = I.units[ref_u][randint(0, (int)I.units[ref_u].size() - 1)];
                rel.clear();
                for (int u : units) {
                    if (in[u]) continue;
                    double best = 1e300;
                    for (int b : I.units[u]) {
                        double x = op == 2 ? relatedness(sol, a, b, times)
                                           : (double)std::llabs(times[a] - times[b]);
                        best = std::min(best, x);
                    }
                    rel.push_back({best, u});
                }
                if (rel.empty()) break;
                int idx = (int)(std::pow(uniform(), 6.0) * (double)rel.size());
                std::nth_element(rel.begin(), rel.begin() + idx, rel.end());
                chosen.push_back(rel[idx].second);
                in[rel[idx].second] = 1;
            }
        } else if (op == 3) {  // a whole route (and what shares units with it)
            std::vector<int> used;
            for (int k = 0; k < I.nv; ++k)
                if (!sol.routes[k].seq.empty()) used.push_back(k);
            int k = used[randint(0, (int)used.size() - 1)];
            std::vector<char> in(I.units.size(), 0);
            for (int v : sol.routes[k].seq) {
                int u = I.unit_of[v >> 1];
                if (!in[u]) {
                    in[u] = 1;
                    chosen.push_back(u);
                }
            }
            if ((int)chosen.size() > 2 * q) {
                std::shuffle(chosen.begin(), chosen.end(), rng);
                chosen.resize(2 * q);
            }
        }
        else if (op == 5) {  // strings of consecutive stops on nearby routes (SISR)
            string_removal(sol, q, chosen);
        }
        std::vector<int> removed;
        for (int u : chosen)
            if (remove_unit(sol, u)) removed.push_back(u);
        return removed;
    }

    // Christiaens & Vanden Berghe (2020): around a random stop, cut a string of
    // consecutive stops out of each of a few nearby routes; the requests of
    // those stops (whole units) are removed.
    void string_removal(const Solution& sol, int q, std::vector<int>& chosen) {
        std::vector<int> served;
        for (int r = 0; r < I.nr; ++r)
            if (sol.route_of[r] >= 0) served.push_back(r);
        if (served.empty()) return;
        int seed_r = served[randint(0, (int)served.size() - 1)];
        const int here = I.loc[2 * seed_r];
        std::vector<std::pair<i64, int>> near;
        for (int r : served) near.push_back({std::min(I.d(here, I.loc[2 * r]), I.d(here, I.loc[2 * r + 1])), r});
        std::sort(near.begin(), near.end());
        std::vector<char> route_done(I.nv, 0), in(I.units.size(), 0);
        double avg = 0;
        int used = 0;
        for (int k = 0; k < I.nv; ++k)
            if (!sol.routes[k].seq.empty()) {
                avg += (double)sol.routes[k].seq.size();
                ++used;
            }
        avg /= std::max(1, used);
        const int lmax = std::max(2, (int)std::min<double>(avg, 20.0));
        const int routes_max = std::max(1, (int)(4.0 * q / (1.0 + lmax)));
        int routes = 0;
        for (const auto& [dd, r] : near) {
            (void)dd;
            if ((int)chosen.size() >= q || routes >= routes_max) break;
            int k = sol.route_of[r];
            if (route_done[k]) continue;
            route_done[k] = 1;
            ++routes;
            const std::vector<int>& seq = sol.routes[k].seq;
            int pos = 0;
            while (seq[pos] >> 1 != r) ++pos;
            int len = randint(1, std::min<int>(lmax, (int)seq.size()));
            int start = std::max(0, std::min<int>(pos - randint(0, len - 1), (int)seq.size() - len));
            for (int x = start; x < start + len; ++x) {
                int u = I.unit_of[seq[x] >> 1];
                if (!in[u]) {
                    in[u] = 1;
                    chosen.push_back(u);
                }
            }
        }
    }

    i64 removal_saving(const Solution& sol, int r) {
        int k = sol.route_of[r];
        const Route& R = sol.routes[k];
        const int n = (int)R.seq.size();
        auto loc_at = [&](int pos) { return pos == 0 ? I.sloc[k] : (pos == n + 1 ? I.eloc[k] : I.loc[R.seq[pos - 1]]); };
        i64 s = 0;
        for (int i = 1; i <= n; ++i) {
            int v = R.seq[i - 1];
            if ((v >> 1) != r) continue;
            s += I.d(loc_at(i - 1), loc_at(i)) + I.d(loc_at(i), loc_at(i + 1)) - I.d(loc_at(i - 1), loc_at(i + 1));
        }
        return s;
    }

    // --- start ---------------------------------------------------------------
    Solution initial() {
        Solution sol;
        sol.routes.resize(I.nv);
        sol.route_of.assign(I.nr, -1);
        for (int k = 0; k < I.nv; ++k) evaluate(I, k, sol.routes[k], S);
        if (!I.initial.empty()) {
            // Keep the given routes (a previous plan): add its requests in the
            // given order, skipping any whose whole unit cannot be kept.
            for (int k = 0; k < I.nv; ++k) {
                const std::vector<int>& want = I.initial[k];
                std::vector<int> keep_req;
                for (int v : want)
                    if (!(v & 1)) keep_req.push_back(v >> 1);
                std::vector<char> on(I.nr, 0);
                Route& R = sol.routes[k];
                for (int r : keep_req) {
                    on[r] = 1;
                    R.seq.clear();
                    for (int v : want)
                        if (on[v >> 1]) R.seq.push_back(v);
                    if (!I.allowed[(size_t)r * I.nv + k] || !evaluate(I, k, R, S)) on[r] = 0;
                }
                R.seq.clear();
                for (int v : want)
                    if (on[v >> 1]) R.seq.push_back(v);
                evaluate(I, k, R, S);
                for (int r = 0; r < I.nr; ++r)
                    if (on[r]) sol.route_of[r] = k;
            }
            // Units kept only in part are removed whole.
            for (size_t u = 0; u < I.units.size(); ++u) {
                bool any = false, all = true;
                for (int r : I.units[u]) {
                    any |= sol.route_of[r] >= 0;
                    all &= sol.route_of[r] >= 0;
                }
                if (any && !all) {
                    for (int r : I.units[u]) {
                        int k = sol.route_of[r];
                        if (k < 0) continue;
                        Route& R = sol.routes[k];
                        std::vector<int> keep;
                        for (int v : R.seq)
                            if ((v >> 1) != r) keep.push_back(v);
                        R.seq.swap(keep);
                        evaluate(I, k, R, S);
                        sol.route_of[r] = -1;
                    }
                }
            }
        }
        std::vector<int> pending;
        for (size_t u = 0; u < I.units.size(); ++u)
            if (sol.route_of[I.units[u][0]] < 0) pending.push_back((int)u);
        repair(sol, pending, 2, false);
        count_unserved(sol);
        return sol;
    }

    std::vector<int> unserved_units(const Solution& sol) {
        std::vector<int> out;
        for (size_t u = 0; u < I.units.size(); ++u)
            if (sol.route_of[I.units[u][0]] < 0) out.push_back((int)u);
        return out;
    }

    // --- the search ----------------------------------------------------------
    Solution run(i64* control, int index, i64 max_iters, std::chrono::steady_clock::time_point deadline,
                 bool timed) {
        Solution cur = initial();
        Solution best = cur;
        if (index == 0) publish(control, best);
        const int ND = 5, NR = 4;
        const int repairs[NR] = {0, 2, 3, -1};
        std::vector<double> wd(ND, 1.0), wr(NR * 2, 1.0), sd(ND, 0), sr(NR * 2, 0);
        std::vector<int> nd(ND, 0), nrp(NR * 2, 0);
        const int n_units = (int)I.units.size();
        double mean_cost = (double)std::max<i64>(1, cur.cost) / std::max(1, I.nr);
        const double T0 = std::max(1e-9, mean_cost * (double)I.temp_permille / 1000.0);
        double T = T0;
        const double cooling = (double)I.cooling_ppm / 1e6;
        i64 since_best = 0;
        while (true) {
            if (max_iters >= 0 && iterations >= max_iters) break;
            if (aload(&control[C_STOP])) break;
            if (timed && (iterations & 7) == 0 && std::chrono::steady_clock::now() >= deadline) break;
            if (n_units == 0) break;
            ++iterations;
            if (index == 0) astore(&control[C_ITERATIONS], iterations);
            int od = pick(wd), orp = pick(wr);
            int qmax = std::max<int>((int)I.min_remove, std::min<int>((int)I.max_remove, (int)(n_units * I.remove_pct / 100)));
            int q = randint((int)std::min<i64>(I.min_remove, qmax), qmax);
            Solution cand = cur;
            std::vector<int> removed = destroy(cand, od, q);
            std::vector<int> pending = unserved_units(cand);
            repair(cand, pending, repairs[orp % NR], orp >= NR);
            double score = 0;
            if (cand.better(best)) {
                best = cand;
                cur = cand;
                score = 33;
                since_best = 0;
                if (index == 0) publish(control, best);
            } else if (cand.unserved == cur.unserved && cand.cost == cur.cost) {
                // same cost: take it, it gives later moves other chances
                cur = cand;
                score = 1;
            } else if (cand.better(cur)) {
                cur = cand;
                score = 9;
            } else if (cand.unserved <= cur.unserved) {
                double delta = (double)(cand.cost - cur.cost);
                if (cand.unserved == cur.unserved && uniform() < std::exp(-delta / T)) {
                    cur = cand;
                    score = 13;
                }
            }
            ++since_best;
            sd[od] += score;
            nd[od] += 1;
            sr[orp] += score;
            nrp[orp] += 1;
            if (iterations % 100 == 0) {
                for (int x = 0; x < ND; ++x)
                    if (nd[x]) wd[x] = 0.8 * wd[x] + 0.2 * std::max(0.05, sd[x] / nd[x]);
                for (int x = 0; x < NR * 2; ++x)
                    if (nrp[x]) wr[x] = 0.8 * wr[x] + 0.2 * std::max(0.05, sr[x] / nrp[x]);
                std::fill(sd.begin(), sd.end(), 0);
                std::fill(sr.begin(), sr.end(), 0);
                std::fill(nd.begin(), nd.end(), 0);
                std::fill(nrp.begin(), nrp.end(), 0);
            }
            T *= cooling;
            if (T < T0 * 0.002) {
                // Reheat from the best plan.
                T = T0 * 0.5;
                cur = best;
            }
        }
        return best;
    }

    int pick(const std::vector<double>& w) {
        double total = std::accumulate(w.begin(), w.end(), 0.0);
        double x = uniform() * total;
        for (size_t i = 0; i < w.size(); ++i) {
            x -= w[i];
            if (x <= 0) return (int)i;
        }
        return (int)w.size() - 1;
    }

    void publish(i64* control, const Solution& best) {
        // Progress for Python (only worker 0 reports; a rough view is enough).
        astore(&control[C_BEST_UNSERVED], best.unserved);
        astore(&control[C_BEST_COST], best.cost);
    }
};

// ---------------------------------------------------------------------------
// Reading the buffer.

struct Reader {
    const i64* p;
    const i64* end;
    bool ok = true;
    i64 next() {
        if (p >= end) {
            ok = false;
            return 0;
        }
        return *p++;
    }
};

bool read_instance(const i64* data, Py_ssize_t len, Instance& I) {
    Reader rd{data, data + len};
    i64 version = rd.next();
    if (version != 1) return false;
    I.nl = (int)rd.next();
    I.nr = (int)rd.next();
    I.nv = (int)rd.next();
    I.K = (int)rd.next();
    I.seed = rd.next();
    I.workers = rd.next();
    I.max_iters = rd.next();
    I.time_ms = rd.next();
    I.min_remove = rd.next();
    I.max_remove = rd.next();
    I.remove_pct = rd.next();
    I.temp_permille = rd.next();
    I.cooling_ppm = rd.next();
    I.w_dist = rd.next();
    I.w_dur = rd.next();
    I.w_ride = rd.next();
    I.w_stab = rd.next();
    I.v_change = rd.next();
    I.stab_tol = rd.next();
    I.stab_lim = rd.next();
    if (!rd.ok || I.nl < 0 || I.nr < 0 || I.nv < 0 || I.K < 0) return false;
    size_t nn = (size_t)I.nl * I.nl;
    if ((size_t)(rd.end - rd.p) < 2 * nn) return false;
    I.dur.assign(rd.p, rd.p + nn);
    rd.p += nn;
    I.dist.assign(rd.p, rd.p + nn);
    rd.p += nn;
    I.sloc.resize(I.nv);
    I.eloc.resize(I.nv);
    I.va.resize(I.nv);
    I.vb.resize(I.nv);
    I.vT.resize(I.nv);
    I.fixed.resize(I.nv);
    I.cap.resize((size_t)I.nv * I.K);
    for (int k = 0; k < I.nv; ++k) {
        I.sloc[k] = (int)rd.next();
        I.eloc[k] = (int)rd.next();
        I.va[k] = rd.next();
        I.vb[k] = rd.next();
        I.vT[k] = rd.next();
        I.fixed[k] = rd.next();
        for (int c = 0; c < I.K; ++c) I.cap[(size_t)k * I.K + c] = rd.next();
    }
    const int N = 2 * I.nr;
    I.loc.resize(N);
    I.e.resize(N);
    I.l.resize(N);
    I.s.resize(N);
    I.q.assign((size_t)N * I.K, 0);
    I.maxride.resize(I.nr);
    I.bundle.resize(I.nr);
    I.prev_vehicle.resize(I.nr);
    I.prev_time.resize(I.nr);
    I.allowed.assign((size_t)I.nr * I.nv, 0);
    for (int r = 0; r < I.nr; ++r) {
        int p = 2 * r, d = 2 * r + 1;
        I.loc[p] = (int)rd.next();
        I.loc[d] = (int)rd.next();
        I.e[p] = rd.next();
        I.l[p] = rd.next();
        I.e[d] = rd.next();
        I.l[d] = rd.next();
        I.s[p] = rd.next();
        I.s[d] = rd.next();
        i64 mr = rd.next();
        I.maxride[r] = mr < 0 ? INF : mr;
        I.bundle[r] = (int)rd.next();
        I.prev_vehicle[r] = (int)rd.next();
        I.prev_time[r] = rd.next();
        for (int c = 0; c < I.K; ++c) {
            i64 x = rd.next();
            I.q[(size_t)p * I.K + c] = x;
            I.q[(size_t)d * I.K + c] = -x;
        }
        i64 na = rd.next();
        for (i64 a = 0; a < na; ++a) {
            i64 k = rd.next();
            if (k < 0 || k >= I.nv) return false;
            I.allowed[(size_t)r * I.nv + k] = 1;
        }
        if (I.loc[p] < 0 || I.loc[p] >= I.nl || I.loc[d] < 0 || I.loc[d] >= I.nl) return false;
    }
    i64 has_initial = rd.next();
    if (has_initial) {
        I.initial.resize(I.nv);
        for (int k = 0; k < I.nv; ++k) {
            i64 len = rd.next();
            for (i64 x = 0; x < len; ++x) {
                i64 v = rd.next();
                if (v < 0 || v >= N) return false;
                I.initial[k].push_back((int)v);
            }
        }
    }
    if (!rd.ok) return false;
    for (int k = 0; k < I.nv; ++k)
        if (I.vT[k] < 0) I.vT[k] = INF;
    // Units: bundles (by id) or single requests.
    I.unit_of.assign(I.nr, -1);
    std::vector<int> by_bundle;
    for (int r = 0; r < I.nr; ++r) {
        if (I.bundle[r] >= 0) {
            if ((size_t)I.bundle[r] >= by_bundle.size()) by_bundle.resize(I.bundle[r] + 1, -1);
            int& u = by_bundle[I.bundle[r]];
            if (u < 0) {
                u = (int)I.units.size();
                I.units.emplace_back();
            }
            I.units[u].push_back(r);
            I.unit_of[r] = u;
        } else {
            I.unit_of[r] = (int)I.units.size();
            I.units.push_back({r});
        }
    }
    bool has_prev = false;
    for (int r = 0; r < I.nr; ++r) has_prev |= I.prev_time[r] != NO_TIME;
    I.sched_cost = I.w_dur > 0 || I.w_ride > 0 || (I.w_stab > 0 && has_prev);
    i64 maxd = 1, maxt = 1;
    for (i64 x : I.dist) maxd = std::max(maxd, x);
    for (int v = 0; v < N; ++v) maxt = std::max(maxt, std::min(I.l[v], I.e[v] + 86400) - 0);
    I.dist_norm = (double)maxd;
    i64 tmin = INF, tmax = 0;
    for (int v = 0; v < N; ++v) {
        tmin = std::min(tmin, I.e[v]);
        tmax = std::max(tmax, std::min(I.l[v], I.e[v] + 86400));
    }
    I.time_norm = (double)std::max<i64>(1, tmax - tmin);
    return true;
}

void write_solution(const Instance& I, const Solution& sol, Scratch& S, std::vector<i64>& out) {
    // per vehicle: length n, depart, arrive, then (node, start) pairs
    for (int k = 0; k < I.nv; ++k) {
        const Route& R = sol.routes[k];
        const int n = (int)R.seq.size();
        out.push_back(n);
        if (n == 0) {
            out.push_back(0);
            out.push_back(0);
            continue;
        }
        std::vector<i64> B;
        setup(I, k, R.seq.data(), n, S);
        objective_schedule(I, k, R.seq.data(), n, S, B);
        out.push_back(B[0]);
        out.push_back(B[n + 1]);
        for (int i = 0; i < n; ++i) {
            out.push_back(R.seq[i]);
            out.push_back(B[i + 1]);
        }
    }
}

PyObject* solve(PyObject*, PyObject* args) {
    Py_buffer data, control;
    if (!PyArg_ParseTuple(args, "y*w*", &data, &control)) return nullptr;
    if (data.itemsize != 8 && data.format != nullptr && std::strcmp(data.format, "q") != 0) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&control);
        PyErr_SetString(PyExc_ValueError, "data must be an int64 buffer");
        return nullptr;
    }
    if (control.len < (Py_ssize_t)(C_SIZE * sizeof(i64))) {
        PyBuffer_Release(&data);
        PyBuffer_Release(&control);
        PyErr_SetString(PyExc_ValueError, "control block too small");
        return nullptr;
    }
    Instance I;
    bool ok = read_instance((const i64*)data.buf, data.len / 8, I);
    PyBuffer_Release(&data);
    if (!ok) {
        PyBuffer_Release(&control);
        PyErr_SetString(PyExc_ValueError, "malformed problem buffer");
        return nullptr;
    }
    i64* ctl = (i64*)control.buf;
    std::vector<i64> out;
    std::vector<i64> iters(std::max<i64>(1, I.workers), 0);
    Py_BEGIN_ALLOW_THREADS;
    {
        const int W = (int)std::max<i64>(1, I.workers);
        auto began = std::chrono::steady_clock::now();
        bool timed = I.time_ms >= 0;
        auto deadline = began + std::chrono::milliseconds(timed ? I.time_ms : 0);
        std::vector<Solution> results(W);
        std::vector<std::thread> threads;
        auto job = [&](int w) {
            Worker worker(I, (uint64_t)I.seed * 1000003ULL + (uint64_t)w * 7919ULL + 17ULL);
            results[w] = worker.run(ctl, w, I.max_iters, deadline, timed);
            iters[w] = worker.iterations;
        };
        for (int w = 1; w < W; ++w) threads.emplace_back(job, w);
        job(0);
        for (auto& th : threads) th.join();
        int best = 0;
        for (int w = 1; w < W; ++w)
            if (results[w].better(results[best])) best = w;
        // Before giving up on a request: try each unserved unit (a request,
        // or its whole bundle) on its own in the final plan.
        {
            Worker last(I, (uint64_t)I.seed + 99991ULL);
            Solution& sol = results[best];
            for (int u : last.unserved_units(sol)) last.insert_unit_now(sol, u, false);
            last.count_unserved(sol);
        }
        Scratch S(I);
        out.push_back(best);
        out.push_back(results[best].unserved);
        out.push_back(results[best].cost);
        for (int w = 0; w < W; ++w) out.push_back(iters[w]);
        write_solution(I, results[best], S, out);
    }
    Py_END_ALLOW_THREADS;
    PyBuffer_Release(&control);
    PyObject* list = PyList_New((Py_ssize_t)out.size());
    if (list == nullptr) return nullptr;
    for (size_t i = 0; i < out.size(); ++i) PyList_SET_ITEM(list, (Py_ssize_t)i, PyLong_FromLongLong(out[i]));
    return list;
}

PyMethodDef methods[] = {
    {"solve", solve, METH_VARARGS, "solve(data: bytes-like int64, control: writable int64[8]) -> list[int]"},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_alns", "Native ALNS core of the Lotse planner.", -1, methods,
                      nullptr, nullptr, nullptr, nullptr};

}  // namespace

PyMODINIT_FUNC PyInit__alns(void) { return PyModule_Create(&module); }
