"""Writes the request files of `scripts/bench search`: one file per kind of query, varied requests, one per line."""
import datetime
import json
import sys

run = sys.argv[1]
skills = ["Kubernetes", "Python", "Swift", "Go", "Rust", "React", "PostgreSQL", "Machine Learning", "System Design", "Leadership",
          "Terraform", "Kafka", "Android", "Security", "Data Engineering", "Figma", "GraphQL", "Elixir", "Unity", "Compilers"]
typos = ["kubrenetes", "pyhton", "swfit", "terrafrom", "postgersql", "javascirpt", "machne learning", "leadershp", "andriod",
         "secuirty", "grpahql", "elixer", "compliers", "obsevability", "microservies", "distribted systems", "kotiln", "figam",
         "tyepscript", "datascience"]
topics = ["career growth", "interview prep", "startups", "promotion", "code review", "negotiation", "remote work", "first job"]
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")


def body(params):
    return json.dumps({"jsonrpc": "2.0", "id": 1, "method": "mentors.search", "params": params})


kinds = {
    "text": [{"query": s} for s in skills],
    "typo": [{"query": t} for t in typos],
    "text_filters": [{"query": topics[i % len(topics)], "skills": [skills[i]], "minRating": 4} for i in range(len(skills))],
    "filters_rating": [{"skills": [s], "languages": ["en"], "sort": "rating"} for s in skills],
    "available": [{"skills": [s], "availableFrom": iso(now + datetime.timedelta(days=1)),
                   "availableTo": iso(now + datetime.timedelta(days=3))} for s in skills],
    "browse_rating": [{"sort": "rating"}, {"sort": "rating", "limit": 50}, {"sort": "price"}],
    "soonest": [{"query": s, "sort": "soonest"} for s in skills],
}
for kind, params in kinds.items():
    with open(f"{run}/q_{kind}.txt", "w") as f:
        f.write("\n".join(body(p) for p in params))
