"""Names from Guinea, Côte d'Ivoire and Mali, written in French Latin spelling.

The person writes the Latin form, so there is no original script; the
variants are those of French and English registers (Mamadou/Mamadu,
Keïta/Keita, Diallo/Jallo).
"""

from parcours.demo.names.model import Nationality, pool

GUINEA_MALE = pool("""
Mamadou/Mamadu/Mamoudou
Alpha/Alfa
Ibrahima/Ibrahim
Amadou/Ahmadou/Amadu
Ousmane/Usman/Osmane
Souleymane/Souleimane/Sulaymane
Abdoulaye/Abdoulai/Abdulai
Mohamed/Mouhamed/Mohammed
Alseny/Alsény/Alsenny
Boubacar/Aboubacar/Bubakar
Sekou/Sékou/Sekouba
Lansana/Lansanna
Mamady/Mamadi
Thierno/Tierno/Cherno
Oumar/Umar
Fodé/Fode
Saliou/Saliu
Elhadj/El Hadj
Naby/Nabi
Mory/Morie
Ismaël/Ismael/Ismaila
Aliou/Aliu/Alieu
Kabine/Kabinet
Moussa/Musa
""")

GUINEA_FEMALE = pool("""
Fatoumata/Fatumata/Fatimata
Mariama/Mariame/Mariam
Aissatou/Aïssatou/Aysatu/Aissata
Kadiatou/Kadiatu/Khadiatou
Hawa/Awa
Aminata/Aminatou
Djenabou/Djénabou/Jenabu
Oumou/Umu
Binta/Bintou
Mabinty/Mabinti
Fanta
Saran
Nènè/Nene
Kadidja/Kadija
Mahawa
Ramatoulaye/Ramatulai
Hadiatou/Hadiatu
""")

GUINEA_FAMILY = pool("""
Diallo/Jallo/Djallo
Barry/Bari
Bah/Ba
Sow/Sou
Camara/Kamara
Keita/Keïta/Keyta
Condé/Conde/Konde
Touré/Toure/Ture
Sylla/Sila/Silla
Soumah/Souma/Suma
Cissé/Cisse/Sisse
Kaba
Kouyaté/Kouyate/Kuyate
Baldé/Balde
Bangoura/Bangura
Traoré/Traore
Doumbouya/Dumbuya
Sangaré/Sangare
Fofana/Fofanah
Kourouma/Kuruma
Millimono/Milimono
Haba
Guilavogui/Guilavoguy
""")

IVORIAN_MALE = pool("""
Yao
Kouassi/Kwasi/Kouasi
Koffi/Kofi/Coffi
Konan
Kouadio/Kwadio
Moussa/Musa
Issouf/Youssouf/Yusuf
Bakary/Bakari
Seydou/Seidou/Saidou
Adama
Drissa/Idrissa/Driss
Lacina/Lassina
Souleymane/Souleimane
Yacouba/Yacoub/Yakouba
Abou/Abu
Karim/Abdoul Karim
Zoumana/Zumana
Ibrahim/Brahima
Mamadou
Siaka
Ousmane
""")

IVORIAN_FEMALE = pool("""
Aya
Adjoa/Adjua/Adjowa
Affoué/Affoue
Akissi/Akisi
Mariam/Mariame/Maryam
Awa/Hawa
Fanta
Salimata/Salimatou
Korotoum/Korotoumou
Aminata
Rokia/Rokiatou
Nadège/Nadege
Assata/Assatou
Ramata
Fatou/Fatoumata
Aïcha/Aicha
Massandjé/Massandje
Djeneba
""")

IVORIAN_FAMILY = pool("""
Kouassi/Kouasi
Koné/Kone
Ouattara/Ouatara/Watara
Traoré/Traore
Coulibaly/Koulibaly/Kulibali
Bamba
Diabaté/Diabate/Jabate
Yao
Konan
N'Guessan/Nguessan/Nguesan
Kouamé/Kouame/Kwame
Touré/Toure
Fofana
Cissé/Cisse
Doumbia/Dumbia
Soro
Sanogo/Sanogho
Koffi
Dosso
Silué/Silue
Yéo/Yeo
Diomandé/Diomande
Bakayoko
Kamagaté/Kamagate
""")

MALIAN_MALE = pool("""
Moussa/Musa
Mamadou/Mamadu
Boubacar/Bubakar
Seydou/Seidou
Adama
Modibo
Bakary/Bakari
Oumar/Umar/Omar
Amadou/Ahmadou
Drissa/Idrissa
Lassana/Lassine
Mahamadou/Mahamadu/Mohamadou
Sidiki/Siddiki
Youssouf/Yusuf
Siaka
Dramane/Abdramane
Issa
Souleymane/Sulaymane
Hamidou/Hamidu
Cheick/Cheikh/Sheikh
Ibrahim/Brahima
Sekou/Sékou
Kalifa/Khalifa
""")

MALIAN_FEMALE = pool("""
Aminata/Aminatou
Fatoumata/Fatumata
Kadiatou/Kadidiatou
Mariam/Mariame
Oumou/Umu
Assitan/Assetou
Djeneba/Djénéba/Jeneba
Rokia/Rokiatou
Awa/Hawa
Salimata
Nana
Sitan
Kadidia/Kadidja
Bintou/Binta
Safiatou/Safiatu
Fanta
Aïssata/Aissata
""")

MALIAN_FAMILY = pool("""
Traoré/Traore/Trawore
Keïta/Keita
Coulibaly/Kulibali
Diarra/Jara/Diara
Konaté/Konate
Sissoko/Cissoko/Sisoko
Dembélé/Dembele
Diakité/Diakite/Jakite
Sidibé/Sidibe
Touré/Toure
Camara/Kamara
Cissé/Cisse
Sangaré/Sangare
Doumbia/Dumbia
Maïga/Maiga
Kanté/Kante
Fofana
Diallo
Samaké/Samake
Bagayoko/Bagayogo
Kouyaté/Kouyate
Tounkara
Dicko/Diko
Sow
""")

GUINEA = Nationality(
    "GN",
    GUINEA_MALE,
    GUINEA_FEMALE,
    GUINEA_FAMILY,
    languages=((("fr", "ff"), 45), (("fr", "sus"), 25), (("ff",), 15), (("emk", "fr"), 15)),
)
COTE_DIVOIRE = Nationality(
    "CI",
    IVORIAN_MALE,
    IVORIAN_FEMALE,
    IVORIAN_FAMILY,
    languages=((("fr",), 50), (("fr", "dyu"), 30), (("fr", "bci"), 20)),
)
MALI = Nationality(
    "ML",
    MALIAN_MALE,
    MALIAN_FEMALE,
    MALIAN_FAMILY,
    languages=((("bm", "fr"), 45), (("bm",), 25), (("snk", "fr"), 15), (("ff", "bm"), 15)),
)
