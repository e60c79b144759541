/* Gravitational n-body simulation: a cluster of bodies with deterministic pseudo-random positions,
 * velocities and masses, integrated with a symplectic Euler step. O(bodies^2) per step.
 * Size: number of steps. */
#include <math.h>
#include "common.h"

#define BODIES 48

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} body;

static double energy(const body *bodies)
{
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        const body *p = &bodies[i];
        e += 0.5 * p->mass * (p->vx * p->vx + p->vy * p->vy + p->vz * p->vz);
        for (int j = i + 1; j < BODIES; j++) {
            const body *q = &bodies[j];
            double dx = p->x - q->x, dy = p->y - q->y, dz = p->z - q->z;
            e -= p->mass * q->mass / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

static void step(body *bodies, double dt)
{
    for (int i = 0; i < BODIES; i++) {
        body *p = &bodies[i];
        for (int j = i + 1; j < BODIES; j++) {
            body *q = &bodies[j];
            double dx = p->x - q->x, dy = p->y - q->y, dz = p->z - q->z;
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double inv = 1.0 / (d2 * sqrt(d2));
            double mp = p->mass * inv * dt, mq = q->mass * inv * dt;
            p->vx -= dx * mq;
            p->vy -= dy * mq;
            p->vz -= dz * mq;
            q->vx += dx * mp;
            q->vy += dy * mp;
            q->vz += dz * mp;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        body *p = &bodies[i];
        p->x += p->vx * dt;
        p->y += p->vy * dt;
        p->z += p->vz * dt;
    }
}

int main(int argc, char **argv)
{
    long steps = bench_size(argc, argv, 140000);
    static body bodies[BODIES];
    bench_rng rng = { 0x0123456789ABCDEFULL };
    for (int i = 0; i < BODIES; i++) {
        body *p = &bodies[i];
        p->x = bench_unit(&rng) * 20 - 10;
        p->y = bench_unit(&rng) * 20 - 10;
        p->z = bench_unit(&rng) * 2 - 1;
        p->vx = -p->y * 0.05;
        p->vy = p->x * 0.05;
        p->vz = 0;
        p->mass = 0.5 + bench_unit(&rng);
    }
    printf("nbody bodies=%d steps=%ld\n", BODIES, steps);
    printf("energy before %.9f\n", energy(bodies));
    for (long s = 0; s < steps; s++)
        step(bodies, 0.001);
    printf("energy after  %.9f\n", energy(bodies));
    return bench_finish();
}
