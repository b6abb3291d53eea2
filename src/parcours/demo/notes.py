"""What the teams write: short notes in French, invented, about no real person.

Two kinds per discipline, as on the encounter form: the *note for the team*
(what the other disciplines may read with the person's consent: practical,
no clinical detail) and the *confidential note* (stays in the discipline).
Notes that agree with the person's gender are written with ``{e}`` (feminine
ending), ``{il}`` / ``{Il}`` and ``{le}``; ``texts(...)`` returns both versions,
resolved once at import so that drawing a note costs one ``choice``.
"""

_FORMS = {
    "female": {"e": "e", "il": "elle", "Il": "Elle", "le": "la"},
    "male": {"e": "", "il": "il", "Il": "Il", "le": "le"},
}


def texts(*notes: str) -> dict[str, tuple[str, ...]]:
    """Both gendered versions of each note: {"female": (...), "male": (...)}."""
    return {sex: tuple(n.format(**forms) for n in notes) for sex, forms in _FORMS.items()}


# --- medical ----------------------------------------------------------------------


def case(reason: str, icd10: str, treatment: str, note: str) -> tuple:
    """One consultation as the clinic sees it often: why the person came, the
    diagnosis, what was given, what the clinician wrote (both genders)."""
    return reason, icd10, treatment, {sex: note.format(**forms) for sex, forms in _FORMS.items()}


# morbidity (choices.Morbidity) → cases
MEDICAL_CASES = {
    "rti_upper": (
        case(
            "Toux, mal de gorge",
            "J02.9",
            "Paracétamol 1 g x3/j, 3 jours",
            "Angine, TDR streptocoque négatif. Traitement symptomatique.",
        ),
        case(
            "Rhume, fièvre",
            "J06.9",
            "Paracétamol, sérum physiologique",
            "Rhinopharyngite, toux sèche depuis 5 jours. Paracétamol, lavages de nez.",
        ),
        case(
            "Toux",
            "R05",
            "Paracétamol",
            "Toux et écoulement nasal depuis une semaine, dort dehors sous la pluie. "
            "Examen rassurant.",
        ),
        case(
            "Fièvre, courbatures",
            "J06.9",
            "Paracétamol 1 g x3/j, 3 jours",
            "Syndrome grippal, fébrile. Repos conseillé, paracétamol remis pour 3 jours.",
        ),
    ),
    "rti_lower": (
        case(
            "Toux et fièvre",
            "J18.9",
            "Amoxicilline 1 g x3/j, 7 jours",
            "Toux productive et fièvre, crépitants à la base droite. Amoxicilline 7 jours, "
            "revoir à J3.",
        ),
        case(
            "Toux grasse",
            "J20.9",
            "Paracétamol",
            "Bronchite après plusieurs nuits sous tente mouillée, pas de signe de gravité.",
        ),
        case(
            "Essoufflement",
            "J22",
            "Transfert aux urgences",
            "Dyspnée d'effort, saturation basse. Pneumopathie probable : orienté{e} vers les "
            "urgences, transport organisé.",
        ),
    ),
    "diarrhoea": (
        case(
            "Diarrhée",
            "A09",
            "SRO, zinc",
            "Diarrhées aiguës depuis 2 jours sans sang, bonne hydratation orale. SRO remis.",
        ),
        case(
            "Diarrhée, vomissements",
            "A09",
            "SRO",
            "Gastro-entérite, plusieurs cas sur le campement (point d'eau unique). Signalé à "
            "l'équipe eau et assainissement.",
        ),
    ),
    "scabies": (
        case(
            "Démangeaisons",
            "B86",
            "Ivermectine J1 et J8, perméthrine",
            "Gale typique (sillons entre les doigts, démangeaisons la nuit). Ivermectine J1–J8, "
            "traitement des contacts de la tente proposé.",
        ),
        case(
            "Boutons qui grattent",
            "B86",
            "Ivermectine, antiseptique",
            "Gale surinfectée des mains, antiseptique. Changement de vêtements à la douche.",
        ),
        case("Contrôle gale", "B86", "", "Contrôle gale : lésions en voie de guérison."),
    ),
    "skin": (
        case(
            "Plaies sur les jambes",
            "L01.0",
            "Antiseptique, pansements",
            "Impétigo des jambes, soins locaux et antiseptique.",
        ),
        case(
            "Pieds abîmés",
            "B35.3",
            "Crème antifongique",
            "Mycose des pieds (chaussures mouillées en permanence). Antifongique, chaussettes "
            "sèches.",
        ),
        case(
            "Rougeurs, démangeaisons",
            "L30.9",
            "Crème émolliente",
            "Dermite irritative, crème émolliente remise.",
        ),
        case(
            "Furoncle",
            "L02.4",
            "Pansement, antiseptique",
            "Abcès cutané de la jambe, incision et drainage, pansement.",
        ),
    ),
    "wound": (
        case(
            "Plaie à la main",
            "S61.9",
            "Suture, pansement",
            "Plaie de la main en franchissant un grillage, suturée (4 points). Rappel "
            "antitétanique.",
        ),
        case(
            "Chute, cheville gonflée",
            "S93.4",
            "Strapping, ibuprofène",
            "Entorse de cheville en courant lors d'une évacuation, strapping et antalgiques.",
        ),
        case(
            "Coups reçus",
            "S60.2",
            "Antalgiques, glace",
            "Contusions de la main et du poignet, dit avoir reçu des coups lors d'une "
            "évacuation du campement.",
        ),
        case(
            "Blessure à la tête",
            "T14.1",
            "Nettoyage, stéristrips",
            "Plaie superficielle du cuir chevelu, nettoyage et stéristrips.",
        ),
    ),
    "burn": (
        case(
            "Brûlure",
            "T30.0",
            "Pansement gras, paracétamol",
            "Brûlure superficielle de l'avant-bras (réchaud dans la tente), pansement gras.",
        ),
        case(
            "Brûlure à la jambe",
            "T30.0",
            "Pansement gras, antalgiques",
            "Brûlure par essence au mollet pendant la traversée, pansement et antalgiques.",
        ),
    ),
    "musculoskeletal": (
        case(
            "Mal au dos",
            "M54.5",
            "Ibuprofène 400 mg x3/j, 5 jours",
            "Lombalgies après des nuits au sol, pas de signe neurologique. Antalgiques.",
        ),
        case(
            "Douleurs des pieds",
            "M79.1",
            "Paracétamol, pansements",
            "Douleurs des pieds après une longue marche, ampoules surinfectées.",
        ),
        case(
            "Douleurs partout",
            "M79.1",
            "Paracétamol",
            "Douleurs diffuses, fatigue importante ; examen sans particularité.",
        ),
    ),
    "dental": (
        case(
            "Mal de dents, joue gonflée",
            "K08.9",
            "Amoxicilline, paracétamol",
            "Abcès dentaire, amoxicilline et antalgiques, orientation vers la PASS bucco-dentaire.",
        ),
        case(
            "Mal de dents",
            "K02.9",
            "Paracétamol",
            "Carie douloureuse, antalgiques ; rendez-vous chez un dentiste solidaire à trouver.",
        ),
    ),
    "gastric": (
        case(
            "Douleurs au ventre",
            "R10.1",
            "Oméprazole 20 mg, 14 jours",
            "Douleurs de l'estomac, repas irréguliers. IPP 14 jours.",
        ),
        case(
            "Brûlures d'estomac",
            "K29.7",
            "Oméprazole 20 mg, 14 jours",
            "Gastrite ancienne majorée par le stress. Conseils et traitement court.",
        ),
    ),
    "urinary": (
        case(
            "Brûlures en urinant",
            "N39.0",
            "Fosfomycine 3 g dose unique",
            "Brûlures mictionnelles, bandelette positive. Fosfomycine dose unique.",
        ),
        case(
            "Douleurs en urinant",
            "N39.0",
            "Fosfomycine 3 g dose unique",
            "Infection urinaire basse, boit très peu faute d'accès à l'eau.",
        ),
    ),
    "sti": (
        case(
            "Écoulement",
            "A64",
            "Traitement syndromique IST, préservatifs",
            "Écoulement, traitement syndromique IST, préservatifs remis, dépistage VIH et "
            "syphilis proposé au CeGIDD.",
        ),
        case(
            "Demande de dépistage",
            "A56.0",
            "Azithromycine, préservatifs",
            "Dépistage : chlamydia positive, traitement et préservatifs ; partenaire à informer.",
        ),
    ),
    "hypothermia": (
        case(
            "Froid, frissons après la mer",
            "T68",
            "Couverture de survie, boisson chaude",
            "Sorti{e} de l'eau après une tentative de traversée, hypothermie légère. "
            "Réchauffement, boisson chaude.",
        ),
        case(
            "Nuit dehors dans le froid",
            "T69.1",
            "Couverture, chaussettes sèches",
            "Nuit dehors par 2 °C, engelures des orteils. Réchauffement, orientation vers la "
            "mise à l'abri.",
        ),
    ),
    "headache": (
        case(
            "Maux de tête",
            "R51",
            "Paracétamol 1 g",
            "Céphalées de tension, dort 3 à 4 heures par nuit. Paracétamol.",
        ),
        case(
            "Maux de tête depuis la traversée",
            "R51",
            "Paracétamol",
            "Céphalées depuis le passage en mer, examen neurologique normal.",
        ),
    ),
    "chronic": (
        case(
            "Diabète sans traitement",
            "E11.9",
            "Metformine 500 mg",
            "Diabète de type 2 connu, sans traitement depuis le départ. Reprise de la "
            "metformine, orientation PASS.",
        ),
        case(
            "Tension",
            "I10",
            "Amlodipine 5 mg",
            "Hypertension connue, tension élevée. Reprise de l'amlodipine, contrôle dans une "
            "semaine.",
        ),
        case(
            "Asthme",
            "J45.9",
            "Salbutamol inhalé",
            "Asthme, plus de traitement de fond depuis un mois. Renouvellement.",
        ),
        case(
            "Épilepsie",
            "G40.9",
            "Ordonnance de renouvellement",
            "Épilepsie connue, traitement interrompu pendant le voyage ; reprise et ordonnance.",
        ),
    ),
    "other": (
        case("Fatigue", "R53", "", "Fatigue, insomnie, examen normal. Écoute et conseils."),
        case("Yeux rouges", "H10.9", "Collyre antiseptique", "Conjonctivite, collyre remis."),
        case(
            "Bilan de santé",
            "Z71.1",
            "",
            "Demande un bilan de santé : examen normal, vaccinations à vérifier.",
        ),
        case(
            "Ne dort pas",
            "G47.0",
            "",
            "Insomnie depuis l'arrivée, ruminations. Proposé de rencontrer la psychologue.",
        ),
    ),
}
# Children's consultations, where they differ from the adults'.
CHILD_CASES = {
    "rti_upper": (
        case(
            "Fièvre, mal à l'oreille",
            "H66.9",
            "Amoxicilline (dose selon le poids)",
            "Enfant fébrile depuis 2 jours, otite. Antibiotique adapté au poids.",
        ),
        case(
            "Nez qui coule, toux",
            "J06.9",
            "Sérum physiologique, paracétamol",
            "Rhinopharyngite, bon état général. Lavages de nez expliqués aux parents.",
        ),
    ),
    "rti_lower": (
        case(
            "Toux",
            "J20.9",
            "Lavages de nez",
            "Toux, pas de signe de détresse respiratoire. Reconsulter si fièvre.",
        ),
    ),
    "diarrhoea": (
        case(
            "Diarrhée",
            "A09",
            "SRO, zinc",
            "Diarrhée sans déshydratation, SRO et zinc, conseils aux parents.",
        ),
    ),
    "other": (
        case(
            "Bilan de l'enfant",
            "Z00.1",
            "",
            "Bilan de l'enfant : croissance à surveiller, vaccins à rattraper au centre de PMI.",
        ),
    ),
}
PREGNANCY_NOTES = texts(
    "Consultation prénatale, pas de plainte. Sérologies à faire à la PASS.",
    "Nausées importantes, perte de poids. Antiémétique, fractionner les repas.",
    "Grossesse évolutive, mouvements actifs. Fer et acide folique remis.",
    "Fatigue et pâleur, fer prescrit ; NFS à la PASS.",
)
STI_WOMEN = case(
    "Pertes, démangeaisons",
    "N76.0",
    "Traitement syndromique IST, préservatifs",
    "Pertes et démangeaisons, traitement syndromique, préservatifs remis ; dépistage VIH et "
    "syphilis proposé au CeGIDD.",
)
MEDICAL_TEAM = texts(
    "Repos conseillé, éviter les efforts pendant une semaine.",
    "Traitement en cours : vérifier qu'{il} le prend bien.",
    "À revoir à la clinique mobile la semaine prochaine.",
    "Besoin d'un duvet sec et de chaussettes.",
    "Orienté{e} vers la PASS pour un bilan.",
    "Doit rester au chaud : à prioriser pour la mise à l'abri.",
    "RAS, peut reprendre les activités.",
    "Rendez-vous à l'hôpital à accompagner si possible.",
)
WOMEN_TEAM = texts(
    "Enceinte : à prioriser pour l'hébergement.",
    "Suivi de grossesse en cours, prochain rendez-vous dans 4 semaines.",
    "Rendez-vous échographie à l'hôpital : prévoir le transport.",
    "Contraception mise en place, contrôle dans 3 mois.",
)
CONTRACEPTION = texts(
    "Souhaite une contraception, information sur les méthodes avec l'interprète. Choix libre.",
    "Renouvellement de contraception, bonne tolérance.",
    "Saignements irréguliers sous implant, rassurée ; revoir si persistance.",
)
SAFE_ABORTION = {
    "counselling": texts(
        "Grossesse non désirée, information sur l'IVG et les délais. Réflexion, revoir sous 48 h.",
    ),
    "medical_abortion": texts(
        "IVG médicamenteuse, protocole expliqué, contraception discutée.",
    ),
    "referral": texts(
        "Terme hors délai de l'IVG médicamenteuse en ville : orientée vers le centre d'IVG de "
        "l'hôpital, rendez-vous pris.",
    ),
    "post_abortion": texts(
        "Contrôle après IVG : pas de complication, contraception débutée.",
    ),
}
SV_CARE = texts(
    "Prise en charge après violence sexuelle : examen avec son accord, traitement remis.",
    "Consultation post-agression : examen limité à ce qu'elle a accepté, écoute.",
)

# --- mental health ------------------------------------------------------------------

# First session, by the main precipitating event (choices.MH_EVENTS).
MH_FIRST = {
    "shipwreck": texts(
        "Premier entretien : reviviscences du naufrage, cauchemars presque toutes les nuits.",
        "Premier entretien : a vu des compagnons se noyer, se sent coupable d'avoir survécu.",
    ),
    "detention": texts(
        "Premier entretien : récit de la détention en Libye, dissociation en séance.",
        "Premier entretien : sursaute au moindre bruit depuis la détention, hypervigilance.",
    ),
    "violence_route": texts(
        "Premier entretien : violences subies sur la route, plaintes somatiques multiples.",
        "Premier entretien : épuisement, sentiment d'être bloqué{e} ici après des mois de route.",
    ),
    "police_violence": texts(
        "Premier entretien : peur permanente depuis les évacuations, ne dort plus sous la tente.",
    ),
    "eviction": texts(
        "Premier entretien : irritabilité, conflits sur le campement après l'évacuation.",
    ),
    "family_loss": texts(
        "Premier entretien : humeur triste, pleure en évoquant sa famille restée au pays. Pas "
        "d'idées suicidaires.",
        "Premier entretien : deuil d'un frère mort pendant le trajet, ruminations.",
    ),
    "sexual_violence": texts(
        "Premier entretien après les violences : honte, peur d'être reconnu{e}, sommeil "
        "très perturbé.",
        "Premier entretien : parle peu des violences subies, souhaite d'abord dormir mieux.",
    ),
    "administrative": texts(
        "Premier entretien : angoisse massive depuis le refus de minorité, ne dort plus.",
        "Premier entretien : se sent accusé{e} de mentir par l'évaluation, colère et tristesse.",
    ),
}
MH_FOLLOW = texts(
    "Techniques de stabilisation travaillées, les utilise la nuit.",
    "Amélioration : dort mieux, reprend les activités de l'accueil de jour.",
    "Séance difficile après une nouvelle évacuation, angoisse en hausse.",
    "Évoque pour la première fois les violences subies ; séance écourtée à sa demande.",
    "Idées suicidaires passives, pas de scénario. Plan de sécurité revu avec l'interprète.",
    "Plus apaisé{e}, se projette sur la suite de son parcours.",
)
MH_TEAM = texts(
    "Suivi psychologique en cours, séance chaque semaine.",
    "Fragile en ce moment : éviter les entretiens longs.",
    "Souhaite un lieu d'hébergement plus calme.",
    "Peut revenir quand {il} le souhaite.",
    "Soutien psychologique proposé, {il} réfléchit.",
)
MH_CLOSURE = (
    "Amélioration, fin de suivi d'un commun accord",
    "Départ de la région",
    "Orientation vers le CMP",
    "Perdu de vue",
    "Passage au Royaume-Uni",
)

# --- social ---------------------------------------------------------------------------

SOCIAL_CONFIDENTIAL = texts(
    "Sans couverture maladie, dossier AME préparé ; il manque l'attestation de domiciliation.",
    "Appel au 115 sans solution ce soir, rappel demain 9 h.",
    "Aucune ressource, dépend des distributions. Colis alimentaire et orientation Restos du cœur.",
    "A perdu ses papiers lors d'une évacuation : attestation de perte à faire.",
    "Famille à la rue avec un enfant de moins de 3 ans : signalé au 115 comme prioritaire.",
    "Demande une domiciliation pour ouvrir ses droits ; rendez-vous au CCAS.",
)
SOCIAL_TEAM = texts(
    "Demande d'AME déposée, récépissé remis.",
    "Domiciliation obtenue auprès de l'association partenaire.",
    "Nuit au 115 obtenue jusqu'à lundi.",
    "Orienté{e} vers la PASS de l'hôpital.",
    "Colis alimentaire remis, à revoir la semaine prochaine.",
    "Inscrit{e} au cours de français du mardi.",
)
SOCIAL_MINOR = texts(
    "Mineur{e} isolé{e} sans prise en charge : orientation ASE préparée.",
    "Scolarisation à organiser, test de niveau demandé au CASNAV.",
    "Contact rétabli avec la famille par le service de rétablissement des liens familiaux.",
)
SOCIAL_OUTCOMES = (
    "Dossier AME déposé à la CPAM",
    "Hébergé·e 3 nuits via le 115",
    "Pas de place au 115 ce soir",
    "Domiciliation obtenue",
    "Orienté·e vers la PASS",
    "Inscrit·e au cours de français",
    "Colis alimentaire remis",
    "Rendez-vous CCAS obtenu",
    "Carte AME reçue",
)

# --- legal / protection ----------------------------------------------------------------

LEGAL_APPEAL = texts(
    "Évaluation de minorité refusée par le département ; saisine du juge des enfants préparée.",
    "Acte de naissance original et jugement supplétif reçus ; vérification demandée.",
    "Audience devant le juge des enfants fixée, accompagnement prévu avec l'avocate.",
    "Explication de la procédure de recours et des délais, avec l'interprète.",
    "Le juge a ordonné une nouvelle évaluation ; préparation de l'entretien.",
)
LEGAL_APPEAL_TEAM = texts(
    "Recours devant le juge des enfants en cours.",
    "Audience prochainement, {il} a besoin d'être accompagné{e}.",
    "Attend la décision du juge : période d'angoisse.",
)
LEGAL_ASYLUM = texts(
    "Empreintes relevées en Italie, procédure Dublin : information sur les délais et les recours.",
    "Souhaite demander l'asile en France : information sur la SPADA et l'OFPRA.",
    "Souhaite rejoindre son frère au Royaume-Uni : pistes de réunification familiale étudiées.",
    "OQTF notifiée, délai de recours de 48 h : orientation immédiate vers un avocat.",
    "Récit d'asile travaillé, pièces justificatives à rassembler.",
)
LEGAL_TEAM = texts(
    "Rendez-vous en préfecture à accompagner.",
    "Information juridique donnée, {il} reviendra avec ses documents.",
    "Ne pas redemander le récit : documentation déjà faite.",
    "Dossier transmis à l'avocate.",
)
POLICE_VIOLENCE = texts(
    "Déclare avoir reçu du gaz lacrymogène au visage lors de l'évacuation du campement à l'aube.",
    "Déclare que ses affaires et sa tente ont été confisquées et détruites lors de l'évacuation.",
    "Déclare avoir été frappé{e} à la matraque près du canal ; lésions constatées par le médecin.",
    "Déclare avoir été poursuivi{e} et mordu{e} par un chien lors d'un contrôle près du port.",
)
VIOLENCE_PLACES = {
    "CAL": (
        "Campement de la zone des Dunes, Calais",
        "Bord du canal, Marck",
        "Abords du port de Calais",
        "Bois près de l'hôpital, Calais",
    ),
    "DUN": ("Campement de Loon-Plage", "Bois du Puythouck, Grande-Synthe"),
    "IDF": ("Porte de la Chapelle, Paris", "Quai de Seine, Paris 19e"),
    "MRS": ("Squat, Marseille 3e", "Gare Saint-Charles, Marseille"),
    "LBY": ("Centre de détention, Tripoli", "Port de Tripoli"),
}

# --- sexual-violence incidents (narrative: encrypted, read by the care team only) -------

SV_NARRATIVES = {
    "recent": (
        "Agression par un inconnu la nuit près du campement. Venue accompagnée d'une amie.",
        "Rapport forcé par une personne connue sur le campement, il y a moins de deux jours.",
        "Agression en rejoignant les sanitaires le soir ; a pu prévenir une bénévole.",
    ),
    "partner": (
        "Violences du conjoint, dont des rapports forcés, depuis plusieurs mois sur le campement.",
    ),
    "old": (
        "Violences sexuelles répétées pendant la détention en Libye.",
        "Agressée par un passeur pendant le trajet, avant l'arrivée en Europe.",
        "Violences subies dans le pays d'origine, mariage forcé à 15 ans.",
    ),
}

# --- activities ------------------------------------------------------------------------

DAY_CENTRE_TEAM = texts(
    "Douche, repas, recharge du téléphone.",
    "A participé à l'atelier de français.",
    "Est venu{e} avec deux amis, calme.",
    "Demande à voir l'infirmière la prochaine fois.",
    "Laverie et vêtements secs.",
)
SHELTER_TEAM = texts(
    "Arrivé{e} le soir par le 115.",
    "Départ volontaire, a laissé un numéro.",
    "Orienté{e} vers un hébergement plus durable à la sortie.",
)
SHELTER_PROJECT_TEAM = {
    "CAL": "Mise à l'abri pour la durée du grand froid.",
    "DUN": "Hébergement au dispositif pour femmes seules.",
    "IDF": "Hébergement à Montreuil en attendant la décision du juge.",
    "MRS": "Place en squat accompagné, en attendant mieux.",
    "LBY": "Hébergement au centre en attendant l'évacuation.",
}
OUTREACH_PERSON_TEAM = texts(
    "Rencontré{e} sur la plage après un départ avorté, trempé{e}.",
    "Premiers secours sur la plage, couverture et eau.",
    "Rencontré{e} à l'aube dans les dunes, épuisé{e}.",
)
OUTREACH_ROUND_TEAM = (
    "Arrivée d'une embarcation à l'aube, personnes trempées, deux hypothermies orientées "
    "vers les pompiers.",
    "Tentative de traversée avortée, couvertures et eau distribuées.",
    "Plage calme, quelques groupes dans les dunes, thé chaud distribué.",
    "Beaucoup de mineurs dans le groupe, informés de l'accueil de jour.",
    "Vent fort, pas de départ ; passage au campement pour information.",
    "Famille avec jeunes enfants, orientée vers la mise à l'abri.",
)
OUTREACH_PLACES = {
    "Maraude littorale – Wimereux": ("Plage de Wimereux", "Digue nord de Wimereux"),
    "Maraude littorale – Sangatte / Cap Blanc-Nez": (
        "Plage de Sangatte",
        "Pied du cap Blanc-Nez",
    ),
    "Maraude littorale – Équihen-Plage": ("Plage d'Équihen", "Dunes d'Équihen"),
    "Points de débarquement – Tripoli": ("Point de débarquement, port de Tripoli",),
}
DAY_CENTRE_TALLY_TEAM = (
    "Fréquentation de la semaine, toutes activités confondues.",
    "Journée portes ouvertes avec les associations partenaires.",
    "Atelier collectif (français, jeux, sport).",
)

# --- consents ---------------------------------------------------------------------------

REFERRAL_SCOPES = {
    "CAL": ("PASS du centre hospitalier de Calais", "Urgences de Calais", "CeGIDD de Calais"),
    "DUN": ("Centre hospitalier de Dunkerque, maternité", "PASS de Dunkerque", "CeGIDD"),
    "IDF": ("PASS de l'hôpital Lariboisière", "Centre de PMI", "Maison des adolescents"),
    "MRS": ("PASS de la Conception", "Hôpital Nord, urgences", "Centre médico-psychologique"),
    "LBY": ("Hôpital de Tripoli", "Programme d'évacuation du HCR"),
}
CONSENT_NOTES = {
    "withdrawn": (
        "Ne souhaite plus que ses informations soient partagées.",
        "Retire son accord après un malentendu sur qui lit les notes.",
    ),
    "refused": ("Préfère que seul le soignant sache.", ""),
}
