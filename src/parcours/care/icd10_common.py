"""The ICD-10 codes most used in migrant health, offered first, with the words
clinicians type for them (French and English) besides the official labels.

Chosen from the mobile clinics' short morbidity list (choices.MORBIDITY_ICD10)
and the usual reasons for consultation in migrant health: skin (scabies, lice,
skin infections), wounds and burns, respiratory infections, dental problems,
pregnancy follow-up, psychological trauma, digestive and urinary complaints,
pain, tuberculosis and chronic diseases. The order is the order offered.
"""

COMMON: tuple[tuple[str, str], ...] = (
    ("B86", "gale scabiose scabies itch prurit demangeaisons"),
    ("T14.1", "plaie blessure coupure lacération wound cut laceration injury"),
    ("T14.0", "plaie superficielle égratignure écorchure contusion abrasion bruise graze"),
    ("L08.9", "infection cutanée surinfection plaie infectée skin infection"),
    ("L01.0", "impétigo impetigo"),
    ("B85.2", "poux pédiculose lice pediculosis"),
    ("J06.9", "infection respiratoire haute rhume rhinopharyngite IVRS URTI cold cough toux"),
    ("J22", "infection respiratoire basse bronchite toux IVRI LRTI chest infection cough"),
    ("J02.9", "angine mal de gorge pharyngite sore throat"),
    ("K02.9", "dentaire dent carie mal de dents dental tooth toothache caries"),
    ("K04.7", "dentaire dent abcès dentaire dental abscess tooth"),
    ("K08.9", "dentaire dent douleur dentaire mal de dents dental tooth toothache"),
    ("Z34.9", "grossesse suivi de grossesse enceinte prénatal pregnancy antenatal care"),
    ("Z35.9", "grossesse à risque suivi de grossesse high-risk pregnancy"),
    ("Z32.1", "grossesse test de grossesse positif enceinte pregnancy test positive"),
    ("F43.1", "stress post-traumatique ESPT PTSD psychotraumatisme trauma traumatisme"),
    ("F43.2", "trouble de l'adaptation adjustment disorder"),
    ("F32.9", "dépression dépressif depression depressive"),
    ("F41.1", "anxiété angoisse anxiety"),
    ("G47.0", "insomnie troubles du sommeil insomnia sleep"),
    ("A09", "diarrhée gastro gastroentérite diarrhoea diarrhea"),
    ("K30", "gastrite dyspepsie brûlures d'estomac épigastralgie dyspepsia heartburn"),
    ("N39.0", "infection urinaire cystite UTI urinary infection"),
    ("A64", "IST MST infection sexuellement transmissible STI STD"),
    ("R51", "céphalée mal de tête maux de tête headache"),
    ("R50.9", "fièvre fébrile fever"),
    ("M79.1", "myalgie douleur musculaire courbatures muscle pain"),
    ("M54.5", "lombalgie mal de dos douleur dorsale back pain"),
    ("T30.0", "brûlure burn"),
    ("T68", "hypothermie froid hypothermia cold"),
    ("A16.2", "tuberculose pulmonaire TB tuberculosis"),
    ("I10", "hypertension HTA tension blood pressure"),
    ("E11.9", "diabète type 2 diabetes"),
)
