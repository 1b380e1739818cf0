# SPDX-License-Identifier: EUPL-1.2
"""The DCAT-AP.de record of a release (rdflib): a catalogue, the dataset, its distributions.

The dataset is the release (``<public url>/open-data/<tenant>/releases/<n>/``), in the
tenant's catalogue (``.../open-data/<tenant>/``); its CSV and JSON distributions carry
their download URL and SHA-256 (``spdx:checksum``). ``dcatde:contributorID`` is the
tenant file's ``contributor_id`` (a URI of the DCAT-AP.de contributor list) if it has one,
else the publisher's homepage (else the catalogue). Blank nodes have fixed ids, so the
same release always serializes to the same bytes.
"""
from __future__ import annotations

import calendar
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
THEME_GOVERNMENT = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
MUNICIPALITY_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
MUNICIPALITY_LEVEL = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# file -> (EU file type, IANA media type, German title, English title)
DISTRIBUTIONS = {"statistics.csv": ("CSV", "text/csv", "Tabelle (CSV)", "Table (CSV)"),
                 "statistics.json": ("JSON", "application/json", "Tabelle (JSON)",
                                     "Table (JSON)")}


def release_url(public_url: str, tenant: str, number: int) -> str:
    """Where the gateway serves release ``number``'s files (``/open-data/...``)."""
    return f"{public_url.rstrip('/')}/open-data/{tenant}/releases/{number}/"


def _month_bounds(month: str) -> tuple[str, str]:
    year, number = (int(part) for part in month.split("-"))
    return f"{month}-01", f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def dcat_graph(tenant: Mapping[str, Any], public_url: str, release: Mapping[str, Any],
               files: Mapping[str, Mapping[str, Any]]) -> Graph:
    """The record of ``release`` (tenant, number, month, published_at) with ``files``' hashes."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF),
                              ("dcatde", DCATDE), ("spdx", SPDX), ("vcard", VCARD)):
        graph.bind(prefix, namespace)
    tenant_id, month, number = tenant["id"], release["month"], release["number"]
    base = release_url(public_url, tenant_id, number)
    catalogue = URIRef(f"{public_url.rstrip('/')}/open-data/{tenant_id}/")
    dataset = URIRef(base)
    publisher = URIRef(f"{catalogue}#publisher")
    name = tenant["name"]

    def text(subject: URIRef | BNode, predicate: URIRef, de: str, en: str) -> None:
        graph.add((subject, predicate, Literal(de, lang="de")))
        graph.add((subject, predicate, Literal(en, lang="en")))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    text(catalogue, DCTERMS.title, f"Offene Daten: {name['de']}", f"Open data: {name['en']}")
    text(catalogue, DCTERMS.description, "Monatliche Statistik der digitalen Verwaltung.",
         "Monthly statistics of the digital administration.")
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCAT.dataset, dataset))

    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(tenant["publisher"]["name"])))
    if tenant["publisher"].get("homepage"):
        graph.add((publisher, FOAF.homepage, URIRef(tenant["publisher"]["homepage"])))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    text(dataset, DCTERMS.title, f"Digitale Verwaltung in Zahlen: {name['de']}, {month}",
         f"Digital administration in figures: {name['en']}, {month}")
    text(dataset, DCTERMS.description,
         "Termine, Anträge und Schaltervorgänge je Verfahren und Zugangsweg (online gegen "
         "Schalter) eines Monats, mit Online-Anteil und Bearbeitungsdauer; kleine Fallzahlen "
         "sind unterdrückt.",
         "Appointments, applications and counter transactions per process and channel "
         "(online against counter) of a month, with the digital share and lead times; small "
         "counts are suppressed.")
    graph.add((dataset, DCTERMS.identifier, Literal(f"{tenant_id}/releases/{number}")))
    graph.add((dataset, DCTERMS.issued, Literal(release["published_at"], datatype=XSD.dateTime)))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCATDE.contributorID,
               URIRef(tenant.get("contributor_id") or tenant["publisher"].get("homepage")
                      or catalogue)))
    graph.add((dataset, DCAT.theme, THEME_GOVERNMENT))
    graph.add((dataset, DCTERMS.license, LICENCE))
    _coverage(graph, dataset, tenant, month)
    _contact(graph, dataset, tenant["publisher"])
    for file_name, (file_type, media_type, title_de, title_en) in DISTRIBUTIONS.items():
        distribution = URIRef(f"{base}{file_name}#distribution")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        text(distribution, DCTERMS.title, title_de, title_en)
        graph.add((distribution, DCAT.accessURL, URIRef(base)))
        graph.add((distribution, DCAT.downloadURL, URIRef(f"{base}{file_name}")))
        graph.add((distribution, DCTERMS.format, URIRef(FILE_TYPES + file_type)))
        graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPES + media_type)))
        graph.add((distribution, DCTERMS.license, LICENCE))
        graph.add((distribution, DCAT.byteSize,
                   Literal(files[file_name]["bytes"], datatype=XSD.nonNegativeInteger)))
        checksum = BNode(f"checksum-{file_type.lower()}")
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue,
                   Literal(files[file_name]["sha256"], datatype=XSD.hexBinary)))
    return graph


def _coverage(graph: Graph, dataset: URIRef, tenant: Mapping[str, Any], month: str) -> None:
    """dct:temporal (the month) and dct:spatial with the political geocoding (municipality)."""
    start, end = _month_bounds(month)
    period = BNode("period")
    graph.add((dataset, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    graph.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
    municipality = URIRef(MUNICIPALITY_KEY + tenant["spatial"]["municipality_key"])
    graph.add((dataset, DCTERMS.spatial, municipality))
    graph.add((dataset, DCATDE.politicalGeocodingURI, municipality))
    graph.add((dataset, DCATDE.politicalGeocodingLevelURI, MUNICIPALITY_LEVEL))


def _contact(graph: Graph, dataset: URIRef, publisher: Mapping[str, Any]) -> None:
    if not publisher.get("email"):
        return
    contact = BNode("contact")
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher["name"])))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher['email']}")))


def turtle(graph: Graph) -> str:
    """``dcat.ttl``."""
    return graph.serialize(format="turtle")


def rdf_xml(graph: Graph) -> str:
    """``dcat.rdf``."""
    return graph.serialize(format="pretty-xml")
